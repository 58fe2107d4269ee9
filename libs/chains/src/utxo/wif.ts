import { secp256k1 } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { createBase58check } from '@scure/base';

const base58check = createBase58check(sha256);
const COMPRESSED = 0x01;

/** Compressed WIF: base58check(version || key || 0x01). */
export function encodeWif(privateKey: Uint8Array, version: number): string {
  const payload = new Uint8Array(34);
  payload[0] = version;
  payload.set(privateKey, 1);
  payload[33] = COMPRESSED;
  const wif = base58check.encode(payload);
  payload.fill(0);
  return wif;
}

export type WifDecoding = { privateKey: Uint8Array } | { problem: string };

/**
 * Decodes a compressed WIF key of the network whose WIF version is `version`. On failure returns a
 * reason that is safe to show (it names version bytes, never key material).
 */
export function decodeWif(text: unknown, version: number): WifDecoding {
  if (typeof text !== 'string') return { problem: 'not a string' };
  let payload: Uint8Array;
  try {
    payload = base58check.decode(text.trim());
  } catch {
    return { problem: 'not a base58check WIF string' };
  }
  try {
    if (payload.length === 33) return { problem: 'uncompressed WIF keys are not supported' };
    if (payload.length !== 34 || payload[33] !== COMPRESSED) return { problem: 'not a WIF private key' };
    if (payload[0] !== version) {
      return {
        problem: `WIF version ${hexByte(payload[0])} belongs to another network; expected ${hexByte(version)}`,
      };
    }
    const privateKey = payload.slice(1, 33);
    if (!secp256k1.utils.isValidSecretKey(privateKey)) {
      privateKey.fill(0);
      return { problem: 'not a valid secp256k1 private key' };
    }
    return { privateKey };
  } finally {
    payload.fill(0);
  }
}

function hexByte(value: number): string {
  return `0x${value.toString(16).padStart(2, '0')}`;
}
