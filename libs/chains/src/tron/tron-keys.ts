import { secp256k1 } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { createBase58check } from '@scure/base';
import { parseEvmPrivateKey } from '../evm/evm-keys';

const base58check = createBase58check(sha256);

/** Every TRON address is this byte followed by the 20-byte account hash (mainnet and testnets alike). */
export const TRON_ADDRESS_PREFIX = 0x41;
const HEX_ADDRESS = /^(?:0x)?41[0-9a-f]{40}$/i;

/**
 * The 21 address bytes of a public key: 0x41 + the last 20 bytes of keccak256(uncompressed key
 * without its 0x04). Accepts a compressed (33-byte) or uncompressed (65-byte) key.
 */
export function tronAddressBytes(publicKey: Uint8Array): Uint8Array {
  const uncompressed =
    publicKey.length === 65 ? publicKey : secp256k1.Point.fromBytes(publicKey).toBytes(false);
  const address = new Uint8Array(21);
  address[0] = TRON_ADDRESS_PREFIX;
  address.set(keccak_256(uncompressed.subarray(1)).subarray(12), 1);
  return address;
}

/** The base58check `T...` address of a public key. */
export function tronAddress(publicKey: Uint8Array): string {
  return base58check.encode(tronAddressBytes(publicKey));
}

/** The base58check form of 21 address bytes. */
export function encodeTronAddress(address: Uint8Array): string {
  return base58check.encode(address);
}

/**
 * The 21 bytes of an address written as TronWeb writes them: base58check `T...` (visible transactions)
 * or hex `41...` (optionally 0x-prefixed). Undefined when it is neither.
 */
export function parseTronAddress(text: unknown): Uint8Array | undefined {
  if (typeof text !== 'string') return undefined;
  if (HEX_ADDRESS.test(text)) return hexToBytes(text.replace(/^0x/i, ''));
  try {
    const bytes = base58check.decode(text);
    return bytes.length === 21 && bytes[0] === TRON_ADDRESS_PREFIX ? bytes : undefined;
  } catch {
    return undefined;
  }
}

/** Export format of TRON keys (Tatum, TronWeb): 64 lowercase hex digits without `0x`. */
export function formatTronPrivateKey(privateKey: Uint8Array): string {
  return bytesToHex(privateKey);
}

/**
 * 64 hex digits (a `0x` prefix is tolerated), any case, that are a valid secp256k1 scalar;
 * InvalidPrivateKeyError otherwise, never echoing the text.
 */
export function parseTronPrivateKey(text: unknown): Uint8Array {
  return parseEvmPrivateKey(text, 'TRON');
}
