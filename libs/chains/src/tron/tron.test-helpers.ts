import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';

/**
 * Builds unsigned transactions the way TronWeb / java-tron present them: the JSON `raw_data` and its
 * protobuf `raw_data_hex` (fields in ascending order, proto3 defaults omitted), txID = sha256 of it.
 * Checked against a transaction captured from a TRON node (tron-transaction.spec.ts).
 */
function varint(value: bigint | number): number[] {
  let n = BigInt.asUintN(64, BigInt(value));
  const out: number[] = [];
  do {
    const byte = Number(n & 0x7fn);
    n >>= 7n;
    out.push(n === 0n ? byte : byte | 0x80);
  } while (n !== 0n);
  return out;
}

function varintField(field: number, value: bigint | number | undefined): number[] {
  return value === undefined || BigInt(value) === 0n ? [] : [...varint(field << 3), ...varint(value)];
}

function bytesField(field: number, bytes: Uint8Array | undefined): number[] {
  return bytes === undefined || bytes.length === 0
    ? []
    : [...varint((field << 3) | 2), ...varint(bytes.length), ...bytes];
}

const hex = (text: string | undefined) => (text === undefined ? undefined : hexToBytes(text));

export interface ContractSpec {
  type: 'TransferContract' | 'TransferAssetContract' | 'TriggerSmartContract';
  /** JSON values as TronWeb shows them with visible=false (hex addresses 41..., hex bytes). */
  value: Record<string, string | number>;
  permissionId?: number;
}

export interface RawSpec {
  contract: ContractSpec[];
  ref_block_bytes: string;
  ref_block_hash: string;
  expiration: number;
  timestamp: number;
  fee_limit?: number;
  data?: string;
}

const LAYOUT: Record<
  ContractSpec['type'],
  { type: number; fields: Array<[string, number, 'bytes' | 'int']> }
> = {
  TransferContract: {
    type: 1,
    fields: [
      ['owner_address', 1, 'bytes'],
      ['to_address', 2, 'bytes'],
      ['amount', 3, 'int'],
    ],
  },
  TransferAssetContract: {
    type: 2,
    fields: [
      ['asset_name', 1, 'bytes'],
      ['owner_address', 2, 'bytes'],
      ['to_address', 3, 'bytes'],
      ['amount', 4, 'int'],
    ],
  },
  TriggerSmartContract: {
    type: 31,
    fields: [
      ['owner_address', 1, 'bytes'],
      ['contract_address', 2, 'bytes'],
      ['call_value', 3, 'int'],
      ['data', 4, 'bytes'],
    ],
  },
};

export function encodeContract(spec: ContractSpec): number[] {
  const layout = LAYOUT[spec.type];
  const value = layout.fields.flatMap(([name, field, kind]) =>
    kind === 'int'
      ? varintField(field, spec.value[name] as number | undefined)
      : bytesField(field, hex(spec.value[name] as string | undefined)),
  );
  const any = [
    ...bytesField(1, utf8ToBytes(`type.googleapis.com/protocol.${spec.type}`)),
    ...bytesField(2, Uint8Array.from(value)),
  ];
  return [
    ...varintField(1, layout.type),
    ...bytesField(2, Uint8Array.from(any)),
    ...varintField(5, spec.permissionId),
  ];
}

export function encodeRaw(spec: RawSpec): Uint8Array {
  return Uint8Array.from([
    ...bytesField(1, hex(spec.ref_block_bytes)),
    ...bytesField(4, hex(spec.ref_block_hash)),
    ...varintField(8, spec.expiration),
    ...bytesField(10, hex(spec.data)),
    ...spec.contract.flatMap((c) => bytesField(11, Uint8Array.from(encodeContract(c)))),
    ...varintField(14, spec.timestamp),
    ...varintField(18, spec.fee_limit),
  ]);
}

/** The TronWeb JSON of an unsigned transaction. */
export function tronTransaction(spec: RawSpec) {
  const rawHex = bytesToHex(encodeRaw(spec));
  const { contract, ...header } = spec;
  return {
    visible: false,
    txID: bytesToHex(sha256(hexToBytes(rawHex))),
    raw_data: {
      contract: contract.map((c) => ({
        parameter: { value: c.value, type_url: `type.googleapis.com/protocol.${c.type}` },
        type: c.type,
        ...(c.permissionId === undefined ? {} : { Permission_id: c.permissionId }),
      })),
      ...header,
    },
    raw_data_hex: rawHex,
  };
}
