import { randomBytes } from 'node:crypto';
import type { Keypair } from '@stellar/stellar-base';
import type { KeyPair } from '../chain-signer.port';
import { InvalidPrivateKeyError } from '../chains.errors';
import { lazy } from '../lazy';

/** @stellar/stellar-base (keys, StrKey, XDR, transactions), loaded on first use. */
export const loadStellarBase = lazy(() => import('@stellar/stellar-base'));

/** A new random account (ed25519 seed from node:crypto): address G..., secret S... */
export async function generateXlmAccount(): Promise<KeyPair> {
  const { Keypair } = await loadStellarBase();
  const seed = randomBytes(32);
  try {
    const keypair = Keypair.fromRawEd25519Seed(seed);
    return { address: keypair.publicKey(), privateKey: keypair.secret() };
  } finally {
    seed.fill(0);
  }
}

/**
 * The key pair of a Stellar secret seed (StrKey `S...`, checksum verified); InvalidPrivateKeyError
 * for anything else, never echoing the text.
 */
export async function openXlmSecret(secret: unknown): Promise<Keypair> {
  const { Keypair, StrKey } = await loadStellarBase();
  const seed = typeof secret === 'string' ? secret.trim() : '';
  if (!StrKey.isValidEd25519SecretSeed(seed)) {
    throw new InvalidPrivateKeyError('XLM', 'a Stellar secret seed (S..., 56 characters)');
  }
  return Keypair.fromSecret(seed);
}
