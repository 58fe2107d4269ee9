import { hexToBytes } from '@noble/hashes/utils.js';
import { InvalidTransactionError } from '../chains.errors';

const HEX = /^(?:[0-9a-fA-F]{2})*$/;
const UINT32_MAX = 0xffffffff;
/** Consensus limit on a script's size; anything longer cannot be part of a valid transaction. */
const MAX_SCRIPT_BYTES = 10_000;

/**
 * Reads fields of an untrusted pending transaction. Every failure is an InvalidTransactionError
 * (INVALID_PENDING_TX) naming the field (`inputs[1].output.satoshis`), never quoting its value, so a
 * message can be logged and reported as is.
 */
export class PendingTxFields {
  constructor(readonly chain: string) {}

  fail(detail: string): never {
    throw new InvalidTransactionError(this.chain, detail);
  }

  json(text: unknown, what: string): unknown {
    if (typeof text !== 'string') this.fail(`${what} must be a string`);
    try {
      return JSON.parse(text);
    } catch {
      return this.fail(`${what} is not valid JSON`);
    }
  }

  object(value: unknown, path: string): Record<string, unknown> {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      this.fail(`${path} must be an object`);
    return value as Record<string, unknown>;
  }

  nonEmptyArray(value: unknown, path: string): unknown[] {
    if (!Array.isArray(value) || value.length === 0) this.fail(`${path} must be a non-empty array`);
    return value;
  }

  uint32(value: unknown, path: string): number {
    if (!Number.isInteger(value) || (value as number) < 0 || (value as number) > UINT32_MAX) {
      this.fail(`${path} must be an integer from 0 to ${UINT32_MAX}`);
    }
    return value as number;
  }

  /** An amount in satoshis: a non-negative safe integer (a JSON number; bitcore serializes them so). */
  satoshis(value: unknown, path: string): number {
    if (!Number.isSafeInteger(value) || (value as number) < 0) {
      this.fail(`${path} must be a non-negative integer number of satoshis (at most 2^53-1)`);
    }
    return value as number;
  }

  /** Even-length hex (either case) of at most `maxBytes` bytes. */
  hex(value: unknown, path: string, maxBytes: number): Uint8Array {
    if (typeof value !== 'string' || !HEX.test(value)) this.fail(`${path} must be an even-length hex string`);
    if (value.length / 2 > maxBytes) this.fail(`${path} is longer than ${maxBytes} bytes`);
    return hexToBytes(value);
  }

  script(value: unknown, path: string): Uint8Array {
    const script = this.hex(value, path, MAX_SCRIPT_BYTES);
    if (script.length === 0) this.fail(`${path} must not be empty`);
    return script;
  }

  /** A transaction id: 64 hex characters, returned lower-case (display byte order, as in explorers). */
  txid(value: unknown, path: string): string {
    if (typeof value !== 'string' || !/^[0-9a-fA-F]{64}$/.test(value))
      this.fail(`${path} must be 64 hex characters`);
    return value.toLowerCase();
  }
}
