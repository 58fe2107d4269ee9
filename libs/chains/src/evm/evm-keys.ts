import { secp256k1 } from '@noble/curves/secp256k1.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { InvalidPrivateKeyError } from '../chains.errors';

const PRIVATE_KEY_FORMAT = /^(?:0x)?[0-9a-f]{64}$/i;

/**
 * `prefix` + lowercase hex of the last 20 bytes of keccak256(uncompressed public key without 0x04).
 * Accepts a compressed (33-byte) or uncompressed (65-byte) key.
 */
export function evmAddress(publicKey: Uint8Array, prefix: string): string {
  const uncompressed =
    publicKey.length === 65 ? publicKey : secp256k1.Point.fromBytes(publicKey).toBytes(false);
  return prefix + bytesToHex(keccak_256(uncompressed.subarray(1)).subarray(12));
}

/** Export format: `0x` + 64 lowercase hex digits. */
export function formatEvmPrivateKey(privateKey: Uint8Array): string {
  return `0x${bytesToHex(privateKey)}`;
}

/**
 * 64 hex digits, with or without `0x`, any case, that are a valid secp256k1 scalar (1..n-1);
 * InvalidPrivateKeyError otherwise (the text is never echoed).
 */
export function parseEvmPrivateKey(text: unknown, chain: string): Uint8Array {
  if (typeof text !== 'string' || !PRIVATE_KEY_FORMAT.test(text.trim())) {
    throw new InvalidPrivateKeyError(chain, '32 bytes as 64 hex digits, optionally 0x-prefixed');
  }
  const trimmed = text.trim();
  const key = hexToBytes(trimmed.length === 66 ? trimmed.slice(2) : trimmed);
  if (!secp256k1.utils.isValidSecretKey(key)) {
    key.fill(0);
    throw new InvalidPrivateKeyError(chain, 'a secp256k1 private key between 1 and n-1');
  }
  return key;
}
