import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';

/** DER prefixes of an Ed25519 key's PKCS#8 (private) and SPKI (public) encodings (RFC 8410). */
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** A new Ed25519 key: its 32-byte seed (hex) and raw public key (base64). */
export function newEd25519Key(): { seedHex: string; publicKey: string } {
  const { privateKey } = generateKeyPairSync('ed25519');
  const seed = privateKey.export({ format: 'der', type: 'pkcs8' }).subarray(PKCS8_PREFIX.length);
  return { seedHex: seed.toString('hex'), publicKey: rawPublicKey(privateKey) };
}

/** The private key of a 32-byte seed given in hex. */
export function ed25519PrivateKey(seedHex: string): KeyObject {
  if (!/^[0-9a-f]{64}$/i.test(seedHex)) throw new TypeError('an Ed25519 seed is 32 bytes in hex');
  return createPrivateKey({
    key: Buffer.concat([PKCS8_PREFIX, Buffer.from(seedHex, 'hex')]),
    format: 'der',
    type: 'pkcs8',
  });
}

/** The raw 32-byte public key, base64, of a private or public Ed25519 key. */
export function rawPublicKey(key: KeyObject): string {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  return publicKey.export({ format: 'der', type: 'spki' }).subarray(SPKI_PREFIX.length).toString('base64');
}

/** The PEM (SPKI) form of a private or public Ed25519 key's public half. */
export function publicKeyPem(key: KeyObject): string {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  return publicKey.export({ format: 'pem', type: 'spki' }).toString();
}

/**
 * An Ed25519 public key as an operator writes it: raw 32 bytes in base64 or hex, or PEM (SPKI).
 * Undefined when it is none of these.
 */
export function parseEd25519PublicKey(text: string): KeyObject | undefined {
  const value = text.trim();
  try {
    if (value.startsWith('-----BEGIN')) {
      const key = createPublicKey(value);
      return key.asymmetricKeyType === 'ed25519' ? key : undefined;
    }
    const raw = /^[0-9a-f]{64}$/i.test(value) ? Buffer.from(value, 'hex') : Buffer.from(value, 'base64');
    if (raw.length !== 32 || (!/^[0-9a-f]{64}$/i.test(value) && raw.toString('base64') !== value))
      return undefined;
    return createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
  } catch {
    return undefined;
  }
}
