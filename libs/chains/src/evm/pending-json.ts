import { keccak_256 } from '@noble/hashes/sha3.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { InvalidTransactionError } from '../chains.errors';

/** Throws InvalidTransactionError for the chain with a reason that names a field, never a value. */
export type Fail = (detail: string) => never;

/** The JSON object of a serializedTransaction (EVM-style JSON: EVM chains, VET), or `fail` saying why not. */
export function parsePendingJson(text: unknown, fail: Fail): Record<string, unknown> {
  let json: unknown;
  try {
    json = typeof text === 'string' ? JSON.parse(text) : fail('serializedTransaction is not a string');
  } catch (error) {
    if (error instanceof InvalidTransactionError) throw error;
    fail('serializedTransaction is not valid JSON');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return fail('serializedTransaction is not a JSON object');
  }
  return json as Record<string, unknown>;
}

/**
 * A non-negative integer given as a JSON safe integer, a decimal string or a 0x-hex string, at most
 * `max`; undefined when absent (undefined or null). Returns a reason (never quoting the value) when
 * malformed. Shared with the validation of network answers.
 */
export function parseQuantity(value: unknown, max: bigint): bigint | undefined | { reason: string } {
  if (value === undefined || value === null) return undefined;
  let quantity: bigint;
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || !Number.isInteger(value)) return { reason: 'is not a whole number' };
    if (value < 0) return { reason: 'is negative' };
    if (!Number.isSafeInteger(value))
      return { reason: 'is too large for a JSON number (send it as a string)' };
    quantity = BigInt(value);
  } else if (typeof value === 'string' && /^(?:\d+|0x[0-9a-f]+)$/i.test(value)) {
    quantity = BigInt(value);
  } else if (typeof value === 'string' && /^-\s*(?:\d|0x)/i.test(value)) {
    return { reason: 'is negative' };
  } else {
    return { reason: 'is not a decimal or 0x-hex integer' };
  }
  return quantity > max ? { reason: 'is out of range' } : quantity;
}

/** Reads quantity fields of `tx` (see parseQuantity), failing with the field's name. */
export function quantityReader(tx: Record<string, unknown>, fail: Fail) {
  return (field: string, max: bigint, positive = false): bigint | undefined => {
    const parsed = parseQuantity(tx[field], max);
    if (typeof parsed === 'object') return fail(`${field} ${parsed.reason}`);
    if (positive && parsed === 0n) return fail(`${field} must be greater than 0`);
    return parsed;
  };
}

/** EIP-55 mixed-case form of 40 hex digits (without 0x). */
export function checksummed(hex: string): string {
  const lower = hex.toLowerCase();
  const hash = bytesToHex(keccak_256(utf8ToBytes(lower)));
  return [...lower].map((c, i) => (parseInt(hash[i], 16) >= 8 ? c.toUpperCase() : c)).join('');
}
