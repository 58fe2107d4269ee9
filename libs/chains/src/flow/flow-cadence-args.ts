/**
 * JSON-Cadence values (https://cadence-lang.org/docs/json-cadence-spec) for transaction arguments.
 * Each argument goes on chain as the UTF-8 of `JSON.stringify(value)`, key order `type`, `value`, as
 * fcl writes it; everything here is validated so that a bad argument fails before anything is signed.
 */
export type CadenceValue =
  | { type: string; value: string }
  | { type: 'Bool'; value: boolean }
  | { type: 'Array'; value: CadenceValue[] };

/** An argument as Tatum's pending FLOW transactions carry it (its SDK's FlowArgs). */
export interface TatumFlowArg {
  type: string;
  value: unknown;
  subType?: string;
}

const INTEGER_BITS: Record<string, { bits: number; signed: boolean }> = {
  Int8: { bits: 8, signed: true },
  Int16: { bits: 16, signed: true },
  Int32: { bits: 32, signed: true },
  Int64: { bits: 64, signed: true },
  Int128: { bits: 128, signed: true },
  Int256: { bits: 256, signed: true },
  UInt8: { bits: 8, signed: false },
  UInt16: { bits: 16, signed: false },
  UInt32: { bits: 32, signed: false },
  UInt64: { bits: 64, signed: false },
  UInt128: { bits: 128, signed: false },
  UInt256: { bits: 256, signed: false },
  Word8: { bits: 8, signed: false },
  Word16: { bits: 16, signed: false },
  Word32: { bits: 32, signed: false },
  Word64: { bits: 64, signed: false },
};

/** Fix64 and UFix64 are 64-bit integers of 10^-8 units. */
const FIX_SCALE = 10n ** 8n;

/** Thrown with a message that names the problem (never the whole value). */
export class CadenceArgumentError extends Error {}

/** The JSON-Cadence value of a Tatum FlowArgs entry; scalar types and arrays of them. */
export function cadenceArgument(arg: TatumFlowArg): CadenceValue {
  if (arg.type === 'Array') {
    if (!Array.isArray(arg.value)) throw new CadenceArgumentError('an Array value must be a JSON array');
    if (typeof arg.subType !== 'string' || arg.subType === 'Array') {
      throw new CadenceArgumentError('an Array needs a scalar `subType`');
    }
    const subType = arg.subType;
    return { type: 'Array', value: arg.value.map((item) => cadenceScalar(subType, item)) };
  }
  return cadenceScalar(arg.type, arg.value);
}

/** One scalar: integers, Int/UInt, Fix64/UFix64, String, Character, Bool, Address. */
export function cadenceScalar(type: unknown, value: unknown): CadenceValue {
  if (typeof type !== 'string') throw new CadenceArgumentError('the type is not a string');
  if (type === 'String') {
    if (typeof value !== 'string') throw new CadenceArgumentError('a String value must be a string');
    return { type, value };
  }
  if (type === 'Character') {
    if (typeof value !== 'string' || [...new Intl.Segmenter().segment(value)].length !== 1) {
      throw new CadenceArgumentError('a Character value must be one character');
    }
    return { type, value };
  }
  if (type === 'Bool') {
    if (value === true || value === 'true') return { type, value: true };
    if (value === false || value === 'false') return { type, value: false };
    throw new CadenceArgumentError('a Bool value must be true or false');
  }
  if (type === 'Address') return { type, value: `0x${cadenceAddress(value)}` };
  if (type === 'UFix64' || type === 'Fix64') return { type, value: fixedPoint(type, value) };
  if (type === 'Int' || type === 'UInt' || type in INTEGER_BITS) return { type, value: integer(type, value) };
  throw new CadenceArgumentError(`type ${JSON.stringify(type).slice(0, 40)} is not supported`);
}

/** A Flow address as 16 lowercase hex digits (0x optional, left-padded as fcl does). */
export function cadenceAddress(value: unknown): string {
  if (typeof value !== 'string' || !/^(?:0x)?[0-9a-f]{1,16}$/i.test(value)) {
    throw new CadenceArgumentError('an Address value must be up to 16 hex digits');
  }
  return value.replace(/^0x/i, '').toLowerCase().padStart(16, '0');
}

/** A decimal with at most 8 fractional digits, written with exactly 8 (fcl's UFix64 form). */
export function fixedPoint(type: 'UFix64' | 'Fix64', value: unknown): string {
  const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
  const match = typeof text === 'string' ? /^([+-]?)(\d+)(?:\.(\d{1,8}))?$/.exec(text) : null;
  if (!match) {
    throw new CadenceArgumentError(`a ${type} value must be a decimal with at most 8 fractional digits`);
  }
  const [, sign, whole, fraction = ''] = match;
  const units = BigInt(whole) * FIX_SCALE + BigInt(fraction.padEnd(8, '0'));
  const negative = sign === '-' && units > 0n;
  const max = type === 'UFix64' ? (1n << 64n) - 1n : (1n << 63n) - (negative ? 0n : 1n);
  if ((negative && type === 'UFix64') || units > max) {
    throw new CadenceArgumentError(`the ${type} value is out of range`);
  }
  return `${negative ? '-' : ''}${units / FIX_SCALE}.${(units % FIX_SCALE).toString().padStart(8, '0')}`;
}

function integer(type: string, value: unknown): string {
  const text = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
  if (typeof text !== 'string' || !/^[+-]?\d{1,80}$/.test(text)) {
    throw new CadenceArgumentError(`a ${type} value must be an integer`);
  }
  const n = BigInt(text);
  const range = INTEGER_BITS[type];
  const unsigned = type === 'UInt' || (range !== undefined && !range.signed);
  const [min, max] = range
    ? range.signed
      ? [-(1n << BigInt(range.bits - 1)), (1n << BigInt(range.bits - 1)) - 1n]
      : [0n, (1n << BigInt(range.bits)) - 1n]
    : [unsigned ? 0n : undefined, undefined];
  if ((min !== undefined && n < min) || (max !== undefined && n > max)) {
    throw new CadenceArgumentError(`the ${type} value is out of range`);
  }
  return n.toString();
}
