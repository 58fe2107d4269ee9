import { createDecipheriv, createHash } from 'node:crypto';
import type { WalletMap } from '../wallet-entry';
import { CorruptStoreError, WrongPasswordError } from '../storage.errors';
import { parseWalletMapJson } from './wallet-map.json';

/**
 * Reads the wallet file written by tatum-kms: crypto-js `AES.encrypt(json, password).toString()`,
 * i.e. base64 of "Salted__" | 8-byte salt | ciphertext, with key and IV from OpenSSL's
 * EVP_BytesToKey (MD5, one iteration, 32 + 16 bytes) and AES-256-CBC with PKCS#7 padding.
 * Read only: this KMS never writes this format.
 */

/** base64("Salted__") without its last, salt-dependent character. */
const LEGACY_PREFIX = 'U2FsdGVkX1';
const MAGIC = Buffer.from('Salted__', 'latin1');
const SALT_BYTES = 8;
const BLOCK_BYTES = 16;

/** True if the (trimmed) file text looks like a crypto-js passphrase ciphertext. */
export function isLegacyWalletText(text: string): boolean {
  return text.startsWith(LEGACY_PREFIX) && /^[A-Za-z0-9+/]+={0,2}$/.test(text);
}

/**
 * Decrypts a legacy file. A wrong password surfaces as bad padding, non-UTF-8 or non-JSON output:
 * all reported as WrongPasswordError. A structurally broken file (too short, misaligned) or a JSON
 * value that is not a wallet map is a CorruptStoreError.
 */
export function decryptLegacyWalletFile(text: string, password: string, location: string): WalletMap {
  const raw = Buffer.from(text, 'base64');
  const body = raw.subarray(MAGIC.length + SALT_BYTES);
  if (!raw.subarray(0, MAGIC.length).equals(MAGIC) || body.length === 0 || body.length % BLOCK_BYTES !== 0) {
    throw new CorruptStoreError(location, 'the tatum-kms ciphertext is truncated or malformed');
  }
  const salt = raw.subarray(MAGIC.length, MAGIC.length + SALT_BYTES);
  const { key, iv } = evpBytesToKey(Buffer.from(password, 'utf8'), salt);
  let plaintext: string;
  try {
    const decipher = createDecipheriv('aes-256-cbc', key, iv);
    const bytes = Buffer.concat([decipher.update(body), decipher.final()]);
    plaintext = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new WrongPasswordError();
  }
  const parsed = parseWalletMapJson(plaintext);
  if (parsed.ok) return parsed.map;
  if (parsed.reason === 'not-json') throw new WrongPasswordError();
  throw new CorruptStoreError(location, 'the decrypted tatum-kms contents are not a wallet map');
}

/** OpenSSL EVP_BytesToKey with MD5 and one iteration: D_i = MD5(D_{i-1} | password | salt). */
function evpBytesToKey(password: Buffer, salt: Buffer): { key: Buffer; iv: Buffer } {
  const blocks: Buffer[] = [];
  let previous = Buffer.alloc(0);
  let length = 0;
  while (length < 32 + 16) {
    previous = createHash('md5').update(previous).update(password).update(salt).digest();
    blocks.push(previous);
    length += previous.length;
  }
  const material = Buffer.concat(blocks);
  return { key: material.subarray(0, 32), iv: material.subarray(32, 48) };
}
