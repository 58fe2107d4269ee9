import { ed25519 } from '@noble/curves/ed25519.js';
import { base58 } from '@scure/base';
import { InvalidPrivateKeyError } from '../chains.errors';
import type { KeyPair } from '../chain-signer.port';

/** SLIP-10 path of SOL key `index`, all hardened: m/44'/501'/0'/0'/{index}' (Tatum's SDK v2). */
export function solanaPath(index: number): number[] {
  return [44, 501, 0, 0, index];
}

/**
 * The key pair of a 32-byte ed25519 seed in Solana's formats: address = base58(public key),
 * privateKey = base58 of the 64-byte secret key (seed || public key), as `Keypair.secretKey`.
 */
export function solanaKeyPair(seed: Uint8Array): KeyPair {
  const publicKey = ed25519.getPublicKey(seed);
  const secretKey = new Uint8Array(64);
  secretKey.set(seed, 0);
  secretKey.set(publicKey, 32);
  const privateKey = base58.encode(secretKey);
  secretKey.fill(0);
  return { address: base58.encode(publicKey), privateKey };
}

/** What a SOL private key may look like: Tatum's SDK reads 128 hex digits as hex, anything else as base58. */
const EXPECTED = 'a 64-byte secret key, base58 or 128 hex digits';
const HEX_SECRET_KEY = /^[0-9a-fA-F]{128}$/;

/**
 * The 32-byte seed of a 64-byte secret key (`Keypair.secretKey`: seed || public key) written in base58
 * or, as Tatum's SDK also accepts (`generateKeyPair`), as 128 hex digits; the second half must be the
 * public key of the first. InvalidPrivateKeyError otherwise (the text is never echoed).
 */
export function parseSolanaSecretKey(text: unknown): Uint8Array {
  let secretKey: Uint8Array;
  try {
    if (typeof text !== 'string') throw new TypeError('not a string');
    const trimmed = text.trim();
    secretKey = HEX_SECRET_KEY.test(trimmed) ? hexBytes(trimmed) : base58.decode(trimmed);
  } catch {
    throw new InvalidPrivateKeyError('SOL', EXPECTED);
  }
  try {
    if (secretKey.length !== 64) throw new InvalidPrivateKeyError('SOL', EXPECTED);
    const seed = secretKey.slice(0, 32);
    const publicKey = ed25519.getPublicKey(seed);
    if (!equalBytes(publicKey, secretKey.subarray(32))) {
      seed.fill(0);
      throw new InvalidPrivateKeyError(
        'SOL',
        'a secret key whose last 32 bytes are the public key of its first 32',
      );
    }
    return seed;
  } finally {
    secretKey.fill(0);
  }
}

/**
 * The bytes of a hex text as a plain Uint8Array (a Buffer's slice() would share memory with bytes
 * wiped later); the pooled Buffer used on the way is wiped.
 */
function hexBytes(hex: string): Uint8Array {
  const buffer = Buffer.from(hex, 'hex');
  try {
    return Uint8Array.from(buffer);
  } finally {
    buffer.fill(0);
  }
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
