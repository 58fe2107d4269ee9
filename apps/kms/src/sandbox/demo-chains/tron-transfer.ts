import { createHash } from 'node:crypto';

/** A TRX transfer as TronWeb builds it (visible=false: addresses as 41-prefixed hex). */
export interface TronTransfer {
  ownerHex: string;
  toHex: string;
  /** In sun (1 TRX = 1,000,000 sun). */
  amount: number;
  /** The reference block: 2 bytes of its number and 8 of its hash, hex. */
  refBlockBytes: string;
  refBlockHash: string;
  /** Milliseconds since the epoch. */
  timestamp: number;
  expiration: number;
}

/**
 * The unsigned TronWeb JSON of a TransferContract: `raw_data`, its protobuf encoding `raw_data_hex`
 * (java-tron's Transaction.raw: fields in ascending order, defaults omitted) and `txID`, the SHA-256
 * of that encoding, which is what gets signed.
 */
export function tronTransfer(spec: TronTransfer): Record<string, unknown> {
  const value = Buffer.concat([
    bytesField(1, hexBytes(spec.ownerHex)),
    bytesField(2, hexBytes(spec.toHex)),
    varintField(3, spec.amount),
  ]);
  const typeUrl = 'type.googleapis.com/protocol.TransferContract';
  const parameter = Buffer.concat([bytesField(1, Buffer.from(typeUrl)), bytesField(2, value)]);
  const contract = Buffer.concat([varintField(1, 1), bytesField(2, parameter)]);
  const raw = Buffer.concat([
    bytesField(1, hexBytes(spec.refBlockBytes)),
    bytesField(4, hexBytes(spec.refBlockHash)),
    varintField(8, spec.expiration),
    bytesField(11, contract),
    varintField(14, spec.timestamp),
  ]);
  return {
    visible: false,
    txID: createHash('sha256').update(raw).digest('hex'),
    raw_data: {
      contract: [
        {
          parameter: {
            value: { amount: spec.amount, owner_address: spec.ownerHex, to_address: spec.toHex },
            type_url: typeUrl,
          },
          type: 'TransferContract',
        },
      ],
      ref_block_bytes: spec.refBlockBytes,
      ref_block_hash: spec.refBlockHash,
      expiration: spec.expiration,
      timestamp: spec.timestamp,
    },
    raw_data_hex: raw.toString('hex'),
  };
}

function varint(value: number): Buffer {
  let n = BigInt(value);
  const out: number[] = [];
  do {
    const byte = Number(n & 0x7fn);
    n >>= 7n;
    out.push(n === 0n ? byte : byte | 0x80);
  } while (n !== 0n);
  return Buffer.from(out);
}

function varintField(field: number, value: number): Buffer {
  return value === 0 ? Buffer.alloc(0) : Buffer.concat([varint(field << 3), varint(value)]);
}

function bytesField(field: number, bytes: Buffer): Buffer {
  return Buffer.concat([varint((field << 3) | 2), varint(bytes.length), bytes]);
}

const hexBytes = (text: string) => Buffer.from(text, 'hex');
