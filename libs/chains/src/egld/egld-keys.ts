import { ed25519 } from '@noble/curves/ed25519.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { bech32 } from '@scure/base';
import type { KeyPair } from '../chain-signer.port';
import { InvalidPrivateKeyError } from '../chains.errors';

/** Human-readable part of MultiversX addresses on every network. */
const ADDRESS_HRP = 'erd';
const PRIVATE_KEY_FORMAT = /^(?:0x)?[0-9a-f]{64}$/i;

/**
 * SLIP-10 path of EGLD key `index`, all levels hardened: m/44'/508'/0'/0'/{index}' on mainnet and
 * m/44'/1'/0'/0'/{index}' on testnet (Tatum's SDK: EGLD_DERIVATION_PATH, or TESTNET_DERIVATION_PATH
 * with every level hardened).
 */
export function egldPath(index: number, testnet: boolean): number[] {
  return [44, testnet ? 1 : 508, 0, 0, index];
}

/** bech32 `erd1...` address of a 32-byte ed25519 public key. */
export function egldAddress(publicKey: Uint8Array): string {
  return bech32.encode(ADDRESS_HRP, bech32.toWords(publicKey));
}

/** The 32-byte public key of an `erd1...` address; undefined when it is not one. */
export function egldPublicKeyOf(address: unknown): Uint8Array | undefined {
  if (typeof address !== 'string') return undefined;
  try {
    const { prefix, bytes } = bech32.decodeToBytes(address);
    return prefix === ADDRESS_HRP && bytes.length === 32 ? bytes : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The key pair of a 32-byte ed25519 seed in Tatum's formats: address `erd1...`, private key the seed
 * as 64 lowercase hex digits without 0x (what erdjs' UserSecretKey.fromString reads).
 */
export function egldKeyPair(seed: Uint8Array): KeyPair {
  return { address: egldAddress(ed25519.getPublicKey(seed)), privateKey: bytesToHex(seed) };
}

/**
 * The 32-byte seed of a private key written as 64 hex digits (0x optional, any case);
 * InvalidPrivateKeyError otherwise (the text is never echoed). Every 32-byte string is a valid
 * ed25519 seed, so the format is the whole check.
 */
export function parseEgldPrivateKey(text: unknown): Uint8Array {
  const trimmed = typeof text === 'string' ? text.trim() : '';
  if (!PRIVATE_KEY_FORMAT.test(trimmed)) {
    throw new InvalidPrivateKeyError('EGLD', 'a 32-byte ed25519 seed as 64 hex digits');
  }
  return hexToBytes(trimmed.length === 66 ? trimmed.slice(2) : trimmed);
}
