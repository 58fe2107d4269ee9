import { randomBytes } from 'node:crypto';
import type { KeyPair } from '../chain-signer.port';
import { InvalidPrivateKeyError } from '../chains.errors';
import { lazy } from '../lazy';

/** ripple-keypairs (seeds, keys, signatures), loaded on first use. */
export const loadRippleKeypairs = lazy(() => import('ripple-keypairs'));

/** An XRP account opened from its family seed. `publicKey`/`privateKey` are ripple-keypairs' hex. */
export interface XrpAccount {
  /** The family seed, trimmed (base58 is case-sensitive: nothing else is normalized). */
  secret: string;
  /** Classic address r... */
  address: string;
  publicKey: string;
  privateKey: string;
}

/**
 * A new random family seed, secp256k1 like the ones tatum-kms makes (ripple-lib generateAddress());
 * 16 bytes of entropy from node:crypto.
 */
export async function generateXrpAccount(): Promise<KeyPair> {
  const keypairs = await loadRippleKeypairs();
  const entropy = randomBytes(16);
  try {
    const { address, secret } = await openXrpAccount(
      keypairs.generateSeed({ entropy, algorithm: 'ecdsa-secp256k1' }),
    );
    return { address, privateKey: secret };
  } finally {
    entropy.fill(0);
  }
}

/**
 * Opens a family seed (`s...`: secp256k1, or `sEd...`: ed25519, the algorithm is encoded in the seed).
 * Anything else, a bad checksum included, is InvalidPrivateKeyError, never echoing the text.
 */
export async function openXrpAccount(secret: unknown): Promise<XrpAccount> {
  const keypairs = await loadRippleKeypairs();
  if (typeof secret !== 'string') throw invalidSecret();
  const seed = secret.trim();
  let keypair: { publicKey: string; privateKey: string };
  try {
    keypair = keypairs.deriveKeypair(seed);
  } catch {
    throw invalidSecret();
  }
  return { secret: seed, address: keypairs.deriveAddress(keypair.publicKey), ...keypair };
}

function invalidSecret(): InvalidPrivateKeyError {
  return new InvalidPrivateKeyError('XRP', 'a family seed (base58 s..., secp256k1 or ed25519)');
}
