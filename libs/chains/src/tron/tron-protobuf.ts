/**
 * A minimal protobuf wire-format reader, enough to read TRON's `Transaction.raw` without a schema
 * compiler: a message becomes its fields by number, each a list of values in order. Varints are
 * bigints (up to 64 bits), length-delimited fields raw bytes. Groups (wire types 3 and 4) do not
 * occur in TRON messages and are rejected, like any truncated or overlong input.
 */
export type ProtoValue = bigint | Uint8Array;
export type ProtoMessage = ReadonlyMap<number, readonly ProtoValue[]>;

export class ProtobufError extends Error {}

export function decodeProtobuf(bytes: Uint8Array): ProtoMessage {
  const fields = new Map<number, ProtoValue[]>();
  let offset = 0;
  const varint = (): bigint => {
    let value = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      if (offset >= bytes.length) throw new ProtobufError('truncated varint');
      const byte = bytes[offset++];
      value |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) {
        if (value >= 1n << 64n) throw new ProtobufError('varint above 64 bits');
        return value;
      }
    }
    throw new ProtobufError('varint longer than 10 bytes');
  };
  const take = (length: number): Uint8Array => {
    if (length > bytes.length - offset) throw new ProtobufError('truncated field');
    const slice = bytes.subarray(offset, offset + length);
    offset += length;
    return slice;
  };
  while (offset < bytes.length) {
    const key = varint();
    const field = Number(key >> 3n);
    if (field === 0 || field > 0x1fffffff) throw new ProtobufError('invalid field number');
    let value: ProtoValue;
    switch (Number(key & 7n)) {
      case 0:
        value = varint();
        break;
      case 1:
        value = take(8);
        break;
      case 2:
        value = take(Number(varint()));
        break;
      case 5:
        value = take(4);
        break;
      default:
        throw new ProtobufError('unsupported wire type');
    }
    const list = fields.get(field);
    if (list) list.push(value);
    else fields.set(field, [value]);
  }
  return fields;
}

/** The last value of a varint field (protobuf semantics for a repeated scalar), or undefined. */
export function protoVarint(message: ProtoMessage, field: number): bigint | undefined {
  const value = message.get(field)?.at(-1);
  if (value === undefined) return undefined;
  if (typeof value !== 'bigint') throw new ProtobufError(`field ${field} is not a varint`);
  return value;
}

/** The last value of a length-delimited field, or undefined. */
export function protoBytes(message: ProtoMessage, field: number): Uint8Array | undefined {
  const value = message.get(field)?.at(-1);
  if (value === undefined) return undefined;
  if (typeof value === 'bigint') throw new ProtobufError(`field ${field} is not length-delimited`);
  return value;
}

/** Every value of a repeated message field, each decoded. */
export function protoMessages(message: ProtoMessage, field: number): ProtoMessage[] {
  return (message.get(field) ?? []).map((value) => {
    if (typeof value === 'bigint') throw new ProtobufError(`field ${field} is not a message`);
    return decodeProtobuf(value);
  });
}
