import { secp256k1 } from '@noble/curves/secp256k1.js';
import { ripemd160 } from '@noble/hashes/legacy.js';
import { sha256 } from '@noble/hashes/sha2.js';

/** A private key decoded for signing, with what inputs are matched against. */
export interface SigningKey {
  readonly privateKey: Uint8Array;
  /** Compressed SEC1 public key (33 bytes). */
  readonly publicKey: Uint8Array;
  /** HASH160 of the public key, as found in P2PKH and P2WPKH scripts. */
  readonly pubKeyHash: Uint8Array;
}

/** Parses a key in the chain's export format (WIF) to 32 bytes; throws InvalidPrivateKeyError, never echoing it. */
export type KeyDecoder = (text: string) => Uint8Array;

export const SIGHASH_ALL = 0x01;

export function hash160(data: Uint8Array): Uint8Array {
  return ripemd160(sha256(data));
}

/**
 * Decodes the keys (undefined entries stay undefined: positional callers need the gaps), runs `use`
 * and zeroes every decoded private key afterwards, whatever the outcome.
 */
export async function withSigningKeys<T>(
  texts: ReadonlyArray<string | undefined>,
  decode: KeyDecoder,
  use: (keys: ReadonlyArray<SigningKey | undefined>) => Promise<T>,
): Promise<T> {
  const keys: Array<SigningKey | undefined> = [];
  try {
    for (const text of texts) {
      if (text === undefined) {
        keys.push(undefined);
        continue;
      }
      const privateKey = decode(text);
      const publicKey = secp256k1.getPublicKey(privateKey, true);
      keys.push({ privateKey, publicKey, pubKeyHash: hash160(publicKey) });
    }
    return await use(keys);
  } finally {
    for (const key of keys) key?.privateKey.fill(0);
  }
}

/**
 * A transaction signature as pushed in scriptSig/witness: strict-DER ECDSA with low S and an RFC 6979
 * deterministic nonce (so the same transaction always gives the same bytes), then the hash type byte.
 */
export function ecdsaSignature(key: SigningKey, sighash: Uint8Array, hashType: number): Buffer {
  const der = secp256k1.sign(sighash, key.privateKey, { lowS: true, prehash: false, format: 'der' });
  return Buffer.concat([der, Uint8Array.of(hashType)]);
}
