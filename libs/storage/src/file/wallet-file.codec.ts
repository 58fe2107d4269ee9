import { createCipheriv, createDecipheriv, randomBytes, scrypt } from 'node:crypto';
import type { WalletMap } from '../wallet-entry';
import { CorruptStoreError, UnknownStoreFormatError, WrongPasswordError } from '../storage.errors';
import { parseWalletMapJson } from './wallet-map.json';

/**
 * Wallet file format v2 (pure: no file I/O).
 *
 * `{"format":"tatum-kms-wallet","version":2,"kdf":{"name":"scrypt","N","r","p","salt"},"wrappedKey",
 *   "cipher":"aes-256-gcm","iv","tag","data"}` (binary fields in base64).
 *
 * A random 256-bit data key encrypts the JSON of the whole wallet map with AES-256-GCM under a fresh
 * 12-byte IV on every seal. The header (format, version, kdf, wrappedKey, cipher) is the GCM additional
 * data, so any edit of it fails the tag. The data key is wrapped with AES-256-GCM (`wrappedKey` =
 * iv | ciphertext | tag) by a key-encryption key (KEK) derived from the password with scrypt.
 * A wrong password fails the wrap's tag -> WrongPasswordError; a data tag failure or a plaintext that
 * is not a wallet map -> CorruptStoreError. An edited kdf or wrappedKey yields a different KEK or wrap
 * and is therefore reported as a wrong password: the two are cryptographically indistinguishable.
 *
 * scrypt runs only in `deriveKek`; an `UnlockedKey` seals any number of writes without it.
 */

export const WALLET_FILE_FORMAT = 'tatum-kms-wallet';
export const WALLET_FILE_VERSION = 2;
const CIPHER = 'aes-256-gcm';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const SALT_BYTES = 16;
const WRAPPED_KEY_BYTES = IV_BYTES + KEY_BYTES + TAG_BYTES;

export interface ScryptCost {
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

/** 64 MiB of memory and ~0.2 s per derivation on a current CPU. */
export const DEFAULT_SCRYPT_COST: ScryptCost = { N: 65536, r: 8, p: 1 };

export interface ScryptParams extends ScryptCost {
  readonly salt: Buffer;
}

export interface WalletEnvelope {
  readonly kdf: ScryptParams;
  readonly wrappedKey: Buffer;
  readonly iv: Buffer;
  readonly tag: Buffer;
  readonly data: Buffer;
}

/** A key-encryption key and the scrypt parameters it was derived with. Secret. */
export interface Kek {
  readonly kdf: ScryptParams;
  readonly key: Buffer;
}

/** Everything needed to seal and open a file without scrypt: the KEK, the wrap and the data key. Secret. */
export interface UnlockedKey {
  readonly kek: Kek;
  readonly wrappedKey: Buffer;
  readonly dataKey: Buffer;
}

export function newScryptParams(cost: ScryptCost = DEFAULT_SCRYPT_COST): ScryptParams {
  assertScryptCost(cost);
  return { N: cost.N, r: cost.r, p: cost.p, salt: randomBytes(SALT_BYTES) };
}

/** The only expensive step: one scrypt run. */
export function deriveKek(password: string, kdf: ScryptParams): Promise<Kek> {
  const maxmem = 128 * kdf.N * kdf.r * 2 + 1024 * 1024;
  return new Promise((resolve, reject) => {
    scrypt(password, kdf.salt, KEY_BYTES, { N: kdf.N, r: kdf.r, p: kdf.p, maxmem }, (error, key) =>
      error ? reject(error) : resolve({ kdf, key }),
    );
  });
}

/** A new random data key wrapped by `kek` (a new file, or a legacy file being converted). */
export function createDataKey(kek: Kek): UnlockedKey {
  return wrap(randomBytes(KEY_BYTES), kek);
}

/** The same data key wrapped by another KEK (password change). */
export function rewrapDataKey(key: UnlockedKey, kek: Kek): UnlockedKey {
  return wrap(key.dataKey, kek);
}

/** The part of an envelope that holds the wrapped data key (the vault stores keep only this). */
export type KeyHeader = Pick<WalletEnvelope, 'kdf' | 'wrappedKey'>;

/** Unwraps the data key of `envelope`; WrongPasswordError if `kek` is not the one it was wrapped with. */
export function unwrapDataKey(envelope: KeyHeader, kek: Kek): UnlockedKey {
  if (!sameKdf(envelope.kdf, kek.kdf)) throw new WrongPasswordError();
  const iv = envelope.wrappedKey.subarray(0, IV_BYTES);
  const tag = envelope.wrappedKey.subarray(IV_BYTES + KEY_BYTES);
  const decipher = createDecipheriv(CIPHER, kek.key, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(wrapAad(kek.kdf));
  decipher.setAuthTag(tag);
  try {
    const dataKey = Buffer.concat([
      decipher.update(envelope.wrappedKey.subarray(IV_BYTES, IV_BYTES + KEY_BYTES)),
      decipher.final(),
    ]);
    return { kek, wrappedKey: envelope.wrappedKey, dataKey };
  } catch {
    throw new WrongPasswordError();
  }
}

/** Password -> KEK -> data key of an existing envelope (one scrypt run). */
export async function unlockEnvelope(envelope: KeyHeader, password: string): Promise<UnlockedKey> {
  return unwrapDataKey(envelope, await deriveKek(password, envelope.kdf));
}

/** True when `key` was unwrapped from this envelope's header, so it can open it without scrypt. */
export function matchesHeader(envelope: WalletEnvelope, key: UnlockedKey): boolean {
  return sameKdf(envelope.kdf, key.kek.kdf) && envelope.wrappedKey.equals(key.wrappedKey);
}

export function sameKdf(a: ScryptParams, b: ScryptParams): boolean {
  return a.N === b.N && a.r === b.r && a.p === b.p && a.salt.equals(b.salt);
}

/** Encrypts the whole map under a fresh IV and returns the file's text. */
export function sealWalletMap(map: WalletMap, key: UnlockedKey): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(CIPHER, key.dataKey, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(headerAad(key.kek.kdf, key.wrappedKey));
  const data = Buffer.concat([cipher.update(JSON.stringify(map), 'utf8'), cipher.final()]);
  const { N, r, p, salt } = key.kek.kdf;
  return JSON.stringify({
    format: WALLET_FILE_FORMAT,
    version: WALLET_FILE_VERSION,
    kdf: { name: 'scrypt', N, r, p, salt: salt.toString('base64') },
    wrappedKey: key.wrappedKey.toString('base64'),
    cipher: CIPHER,
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    data: data.toString('base64'),
  });
}

/** Decrypts the map; CorruptStoreError if the tag fails or the plaintext is not a wallet map. */
export function openWalletMap(envelope: WalletEnvelope, key: UnlockedKey, location: string): WalletMap {
  const decipher = createDecipheriv(CIPHER, key.dataKey, envelope.iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(headerAad(envelope.kdf, envelope.wrappedKey));
  decipher.setAuthTag(envelope.tag);
  let plaintext: string;
  try {
    plaintext = Buffer.concat([decipher.update(envelope.data), decipher.final()]).toString('utf8');
  } catch (error) {
    throw new CorruptStoreError(location, 'the contents fail their integrity check', error);
  }
  const parsed = parseWalletMapJson(plaintext);
  if (!parsed.ok) throw new CorruptStoreError(location, 'the decrypted contents are not a wallet map');
  return parsed.map;
}

/**
 * Reads the envelope of a JSON file. UnknownStoreFormatError if it is JSON but not ours;
 * CorruptStoreError if it is ours (or a damaged copy of ours) with a missing or invalid field.
 */
export function parseEnvelope(text: string, location: string): WalletEnvelope {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    if (text.includes(`"${WALLET_FILE_FORMAT}"`))
      throw new CorruptStoreError(location, 'it is not valid JSON', error);
    throw new UnknownStoreFormatError(location);
  }
  const o = asRecord(value);
  if (o?.format !== WALLET_FILE_FORMAT) throw new UnknownStoreFormatError(location);
  const bad = (field: string): never => {
    throw new CorruptStoreError(location, `field "${field}" is missing or invalid`);
  };
  if (o.version !== WALLET_FILE_VERSION) bad('version');
  if (o.cipher !== CIPHER) bad('cipher');
  const kdf = asRecord(o.kdf) ?? bad('kdf');
  if (kdf.name !== 'scrypt') bad('kdf.name');
  const cost = { N: kdf.N, r: kdf.r, p: kdf.p };
  if (!isScryptCost(cost)) bad('kdf.N/r/p');
  const field = (v: unknown, name: string, length?: number): Buffer => {
    const bytes = decodeBase64(v);
    if (!bytes || (length !== undefined && bytes.length !== length)) bad(name);
    return bytes as Buffer;
  };
  const salt = field(kdf.salt, 'kdf.salt');
  if (salt.length < SALT_BYTES) bad('kdf.salt');
  return {
    kdf: { ...(cost as ScryptCost), salt },
    wrappedKey: field(o.wrappedKey, 'wrappedKey', WRAPPED_KEY_BYTES),
    iv: field(o.iv, 'iv', IV_BYTES),
    tag: field(o.tag, 'tag', TAG_BYTES),
    data: field(o.data, 'data'),
  };
}

/** The JSON fields of a key header: `{kdf: {name: 'scrypt', N, r, p, salt}, wrappedKey}` (base64). */
export function keyHeaderJson(header: KeyHeader): { kdf: Record<string, unknown>; wrappedKey: string } {
  const { N, r, p, salt } = header.kdf;
  return {
    kdf: { name: 'scrypt', N, r, p, salt: salt.toString('base64') },
    wrappedKey: header.wrappedKey.toString('base64'),
  };
}

/**
 * Reads `{kdf, wrappedKey}` as written by `keyHeaderJson` (same bounds on the scrypt cost as the file's
 * header, so a tampered record cannot demand absurd memory); a failure names the first bad field.
 */
export function parseKeyHeader(
  value: unknown,
): { ok: true; header: KeyHeader } | { ok: false; field: string } {
  const o = asRecord(value);
  const kdf = asRecord(o?.kdf);
  if (!o || !kdf || kdf.name !== 'scrypt') return { ok: false, field: 'kdf' };
  const cost = { N: kdf.N, r: kdf.r, p: kdf.p };
  if (!isScryptCost(cost)) return { ok: false, field: 'kdf.N/r/p' };
  const salt = decodeBase64(kdf.salt);
  if (!salt || salt.length < SALT_BYTES) return { ok: false, field: 'kdf.salt' };
  const wrappedKey = decodeBase64(o.wrappedKey);
  if (!wrappedKey || wrappedKey.length !== WRAPPED_KEY_BYTES) return { ok: false, field: 'wrappedKey' };
  return { ok: true, header: { kdf: { ...(cost as ScryptCost), salt }, wrappedKey } };
}

function wrap(dataKey: Buffer, kek: Kek): UnlockedKey {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(CIPHER, kek.key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(wrapAad(kek.kdf));
  const wrapped = Buffer.concat([cipher.update(dataKey), cipher.final()]);
  return { kek, wrappedKey: Buffer.concat([iv, wrapped, cipher.getAuthTag()]), dataKey };
}

function wrapAad(kdf: ScryptParams): Buffer {
  return Buffer.from(
    JSON.stringify([
      WALLET_FILE_FORMAT,
      WALLET_FILE_VERSION,
      'key-wrap',
      kdf.N,
      kdf.r,
      kdf.p,
      kdf.salt.toString('base64'),
    ]),
  );
}

function headerAad(kdf: ScryptParams, wrappedKey: Buffer): Buffer {
  return Buffer.from(
    JSON.stringify([
      WALLET_FILE_FORMAT,
      WALLET_FILE_VERSION,
      'scrypt',
      kdf.N,
      kdf.r,
      kdf.p,
      kdf.salt.toString('base64'),
      wrappedKey.toString('base64'),
      CIPHER,
    ]),
  );
}

/** Bounds keep a tampered header from demanding absurd memory or time. */
function isScryptCost(cost: Record<string, unknown>): cost is Record<keyof ScryptCost, number> {
  const { N, r, p } = cost;
  const int = (v: unknown, min: number, max: number): v is number =>
    typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
  return (
    int(N, 1024, 2 ** 20) && (N & (N - 1)) === 0 && int(r, 1, 32) && int(p, 1, 16) && 128 * N * r <= 2 ** 30
  );
}

function assertScryptCost(cost: ScryptCost): void {
  if (!isScryptCost({ ...cost })) throw new RangeError('scrypt cost out of bounds');
}

/** Strict base64: decodes only text that is exactly the canonical encoding of its bytes (native, fast on MBs). */
function decodeBase64(value: unknown): Buffer | undefined {
  if (typeof value !== 'string' || value.length % 4 !== 0) return undefined;
  const bytes = Buffer.from(value, 'base64');
  return bytes.toString('base64') === value ? bytes : undefined;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}
