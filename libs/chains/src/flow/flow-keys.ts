import { secp256k1 } from '@noble/curves/secp256k1.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { InvalidPrivateKeyError } from '../chains.errors';

/**
 * Tatum's SDK writes FLOW private keys with elliptic's `BN.toString(16)`, which drops leading zeros,
 * so keys it exported may be shorter than 64 digits. We accept down to 56 digits (a Tatum key is
 * shorter with probability 2^-32; anything shorter is far more likely a truncated paste).
 */
const PRIVATE_KEY_FORMAT = /^(?:0x)?[0-9a-f]{56,64}$/i;

/**
 * What Tatum calls the FLOW "address" of a key: its uncompressed secp256k1 public key as 128 hex
 * digits, without the 04 prefix. A FLOW account address is assigned on chain when an account is
 * created for a public key (Tatum creates it from this value), so no address can be computed from a
 * key; we return what Tatum returns. Accepts a compressed (33-byte) or uncompressed (65-byte) key.
 */
export function flowPublicKeyHex(publicKey: Uint8Array): string {
  const uncompressed =
    publicKey.length === 65 ? publicKey : secp256k1.Point.fromBytes(publicKey).toBytes(false);
  return bytesToHex(uncompressed.subarray(1));
}

/** Export format: 64 lowercase hex digits, zero-padded (unlike Tatum's SDK), no 0x. */
export function formatFlowPrivateKey(privateKey: Uint8Array): string {
  return bytesToHex(privateKey);
}

/**
 * 56 to 64 hex digits (left-padded to 32 bytes), 0x optional, any case, that are a secp256k1 scalar
 * between 1 and n-1; InvalidPrivateKeyError otherwise (the text is never echoed).
 */
export function parseFlowPrivateKey(text: unknown): Uint8Array {
  const trimmed = typeof text === 'string' ? text.trim() : '';
  if (!PRIVATE_KEY_FORMAT.test(trimmed)) {
    throw new InvalidPrivateKeyError(
      'FLOW',
      'a secp256k1 key as 64 hex digits (leading zeros may be omitted)',
    );
  }
  const digits = trimmed.replace(/^0x/i, '').padStart(64, '0');
  const key = hexToBytes(digits);
  if (!secp256k1.utils.isValidSecretKey(key)) {
    key.fill(0);
    throw new InvalidPrivateKeyError('FLOW', 'a secp256k1 private key between 1 and n-1');
  }
  return key;
}
