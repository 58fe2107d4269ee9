import { randomBytes } from 'node:crypto';
import { ed25519 } from '@noble/curves/ed25519.js';
import { base32nopad } from '@scure/base';
import type { KeyPair } from '../chain-signer.port';
import { InvalidPrivateKeyError } from '../chains.errors';
import { lazy } from '../lazy';

/** algosdk (addresses, mnemonics, transactions), loaded on first use. */
export const loadAlgosdk = lazy(() => import('algosdk'));

/** Length of Tatum's base32 ALGO secret: 64 bytes, RFC 4648 alphabet, no padding. */
const BASE32_SECRET_LENGTH = 103;

/** An opened ALGO secret. `secretKey` (seed || public key) is a copy the caller must zero. */
export interface AlgoAccount {
  address: string;
  secretKey: Uint8Array;
}

/**
 * The canonical ALGO secret is Tatum's: base32 (RFC 4648, uppercase, unpadded) of the 64-byte ed25519
 * secret key `seed || publicKey`, what Tatum's generateAlgoWallet returns as `secret` and what its
 * signAlgoKMSTransaction decodes (`new base32.Decoder({type: 'rfc4648'}).write(secret).buf`), so a
 * wallet we write signs under tatum-kms as well. The 25-word Algorand mnemonic of the same key is
 * accepted on import (and when signing) and converted to this form.
 */
export function encodeAlgoSecret(secretKey: Uint8Array): string {
  return base32nopad.encode(secretKey);
}

/** A new random account (ed25519 seed from node:crypto): Algorand address and base32 secret. */
export async function generateAlgoAccount(): Promise<KeyPair> {
  const seed = randomBytes(32);
  const secretKey = secretKeyOf(seed);
  try {
    const { encodeAddress } = await loadAlgosdk();
    return { address: encodeAddress(secretKey.subarray(32)), privateKey: encodeAlgoSecret(secretKey) };
  } finally {
    seed.fill(0);
    secretKey.fill(0);
  }
}

/**
 * Opens an ALGO secret: Tatum's base32 secret key (case-insensitive, `=` padding allowed) whose second
 * half is the public key of its first, or a 25-word Algorand mnemonic (checksum verified).
 * InvalidPrivateKeyError otherwise, never echoing the text.
 */
export async function openAlgoSecret(secret: unknown): Promise<AlgoAccount> {
  const algosdk = await loadAlgosdk();
  const text = typeof secret === 'string' ? secret.trim() : '';
  const words = text.split(/\s+/);
  let secretKey: Uint8Array;
  if (words.length === 25) {
    try {
      secretKey = algosdk.mnemonicToSecretKey(words.join(' ').toLowerCase()).sk;
    } catch {
      throw invalidSecret('a 25-word Algorand mnemonic with a valid checksum');
    }
  } else {
    secretKey = decodeBase32SecretKey(text);
  }
  return { address: algosdk.encodeAddress(secretKey.subarray(32)), secretKey };
}

function decodeBase32SecretKey(text: string): Uint8Array {
  const unpadded = text.replace(/=+$/, '').toUpperCase();
  if (unpadded.length !== BASE32_SECRET_LENGTH) throw invalidSecret();
  let secretKey: Uint8Array;
  try {
    secretKey = base32nopad.decode(unpadded);
  } catch {
    throw invalidSecret();
  }
  const seed = secretKey.slice(0, 32);
  try {
    const publicKey = ed25519.getPublicKey(seed);
    if (!publicKey.every((byte, i) => byte === secretKey[32 + i])) {
      secretKey.fill(0);
      throw invalidSecret('a secret key whose last 32 bytes are the public key of its first 32');
    }
    return secretKey;
  } finally {
    seed.fill(0);
  }
}

function secretKeyOf(seed: Uint8Array): Uint8Array {
  const secretKey = new Uint8Array(64);
  secretKey.set(seed, 0);
  secretKey.set(ed25519.getPublicKey(seed), 32);
  return secretKey;
}

function invalidSecret(
  expected = 'the base32 secret key (103 characters) or a 25-word Algorand mnemonic',
): InvalidPrivateKeyError {
  return new InvalidPrivateKeyError('ALGO', expected);
}
