/** An RLP item: a byte string, a non-negative integer (minimal big-endian bytes), or a list. */
export type RlpItem = Uint8Array | bigint | readonly RlpItem[];

/**
 * Recursive Length Prefix encoding (Ethereum yellow paper, appendix B), as Flow uses it for
 * transaction payloads and envelopes. Integers are encoded as their minimal big-endian bytes (0 is
 * the empty string, 0x80), like @onflow/rlp does for numbers.
 */
export function rlpEncode(item: RlpItem): Uint8Array {
  if (Array.isArray(item)) {
    const body = concat((item as readonly RlpItem[]).map(rlpEncode));
    return concat([lengthPrefix(body.length, 0xc0), body]);
  }
  const bytes = typeof item === 'bigint' ? integerBytes(item) : (item as Uint8Array);
  if (bytes.length === 1 && bytes[0] < 0x80) return bytes;
  return concat([lengthPrefix(bytes.length, 0x80), bytes]);
}

function lengthPrefix(length: number, offset: number): Uint8Array {
  if (length < 56) return Uint8Array.of(offset + length);
  const lengthBytes = integerBytes(BigInt(length));
  return concat([Uint8Array.of(offset + 55 + lengthBytes.length), lengthBytes]);
}

function integerBytes(value: bigint): Uint8Array {
  if (value < 0n) throw new RangeError('RLP integers are non-negative');
  if (value === 0n) return new Uint8Array(0);
  let hex = value.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  return Uint8Array.from(Buffer.from(hex, 'hex'));
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
