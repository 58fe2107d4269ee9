import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { CorruptStoreError } from '../storage.errors';
import {
  createDataKey,
  deriveKek,
  keyHeaderJson,
  parseKeyHeader,
  unwrapDataKey,
  type Kek,
  type KeyHeader,
  type UnlockedKey,
} from '../file/wallet-file.codec';

/**
 * The data key record of a vault store (pure: no vault calls), one per store (`<prefix>data-key`),
 * and, while a password change is in progress, the record of the next generation
 * (`<prefix>data-key-next`); see key-rotation.ts for the scheme.
 *
 * Generation 0, never rotated (as every store written before key rotation existed):
 *   `{"format":"tatum-kms-vault-key","version":1,"kdf":{"name":"scrypt","N","r","p","salt"},"wrappedKey"}`
 * From the first password change on:
 *   `{"format":"tatum-kms-vault-key","version":2,"generation":g,"kdf","wrappedKey","olderKeys"?,"rotating"?}`
 *
 * `kdf` and `wrappedKey` are the wallet file's key header: the random 256-bit data key of generation g
 * wrapped (AES-256-GCM) by a key derived from the store password with scrypt (wallet-file.codec.ts).
 * `olderKeys` holds the data keys of every earlier generation, sealed (AES-256-GCM, base64 of
 * iv | ciphertext | tag) under generation g's key, so a secret still sealed under an earlier key stays
 * readable with the current password only. `rotating: true` marks a password change in progress.
 */

export const DATA_KEY_FORMAT = 'tatum-kms-vault-key';
/** Tags of both record secrets; wallet listings (kind: kms-wallet) never include them. */
export const DATA_KEY_TAGS = { kind: 'kms-data-key' } as const;
const CIPHER = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface DataKeyRecord {
  readonly generation: number;
  readonly header: KeyHeader;
  /** The earlier generations' keys, sealed under this generation's key; absent at generation 0. */
  readonly olderKeys?: Buffer;
  readonly rotating: boolean;
}

/** The keys a store has unlocked. Secret. */
export interface VaultKeys {
  /** The record they came from (to rewrite it, e.g. with `rotating` set). */
  readonly record: DataKeyRecord;
  /** The generation new secrets are sealed under, and its key. */
  readonly generation: number;
  readonly current: UnlockedKey;
  /** Every data key the record holds, by generation, the current one included. */
  readonly byGeneration: ReadonlyMap<number, Buffer>;
}

export function sealDataKeyRecord(record: DataKeyRecord): string {
  const header = keyHeaderJson(record.header);
  if (record.generation === 0 && !record.rotating && !record.olderKeys)
    return JSON.stringify({ format: DATA_KEY_FORMAT, version: 1, ...header });
  return JSON.stringify({
    format: DATA_KEY_FORMAT,
    version: 2,
    generation: record.generation,
    ...header,
    ...(record.olderKeys && { olderKeys: record.olderKeys.toString('base64') }),
    ...(record.rotating && { rotating: true }),
  });
}

/** CorruptStoreError (naming the secret, never quoting it) if `text` is not a record of this KMS. */
export function parseDataKeyRecord(text: string, name: string): DataKeyRecord {
  const bad = (detail: string): never => {
    throw new CorruptStoreError(name, detail, undefined, 'The data key secret');
  };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return bad('it is not JSON');
  }
  const record = value as Record<string, unknown> | null;
  if (record?.format !== DATA_KEY_FORMAT) return bad('it is not a data key record of this KMS');
  if (record.version !== 1 && record.version !== 2)
    return bad(`version ${String(record.version)} is not supported`);
  const parsed = parseKeyHeader(record);
  if (!parsed.ok) return bad(`field "${parsed.field}" is missing or invalid`);
  if (record.version === 1) return { generation: 0, header: parsed.header, rotating: false };
  const generation = record.generation;
  if (typeof generation !== 'number' || !Number.isSafeInteger(generation) || generation < 0)
    return bad('field "generation" is missing or invalid');
  const olderKeys = record.olderKeys === undefined ? undefined : base64(record.olderKeys);
  if (record.olderKeys !== undefined && (!olderKeys || olderKeys.length < IV_BYTES + TAG_BYTES))
    return bad('field "olderKeys" is invalid');
  if (generation > 0 && !olderKeys) return bad('field "olderKeys" is missing');
  if (record.rotating !== undefined && typeof record.rotating !== 'boolean')
    return bad('field "rotating" is invalid');
  return { generation, header: parsed.header, olderKeys, rotating: record.rotating === true };
}

/** True when both records hold the same wrapped key of the same generation (the flag aside). */
export function sameDataKey(a: DataKeyRecord, b: DataKeyRecord): boolean {
  return (
    a.generation === b.generation &&
    a.header.wrappedKey.equals(b.header.wrappedKey) &&
    a.header.kdf.salt.equals(b.header.kdf.salt)
  );
}

/** Password -> the record's keys (one scrypt run); WrongPasswordError if it is not this record's. */
export async function openDataKeyRecord(
  record: DataKeyRecord,
  password: string,
  name: string,
): Promise<VaultKeys> {
  const current = unwrapDataKey(record.header, await deriveKek(password, record.header.kdf));
  const byGeneration = new Map<number, Buffer>();
  if (record.olderKeys) {
    for (const [generation, key] of openOlderKeys(record.olderKeys, current.dataKey, record.generation, name))
      byGeneration.set(generation, key);
  }
  byGeneration.set(record.generation, current.dataKey);
  return { record, generation: record.generation, current, byGeneration };
}

/** The record (and keys) of generation 0: a new random data key wrapped by `kek`. */
export function firstDataKey(kek: Kek): VaultKeys {
  const current = createDataKey(kek);
  const record: DataKeyRecord = {
    generation: 0,
    header: { kdf: kek.kdf, wrappedKey: current.wrappedKey },
    rotating: false,
  };
  return { record, generation: 0, current, byGeneration: new Map([[0, current.dataKey]]) };
}

/** The next generation after `keys`: a new random data key wrapped by `kek`, carrying every older key. */
export function nextDataKey(keys: VaultKeys, kek: Kek): VaultKeys {
  const generation = keys.generation + 1;
  const current = createDataKey(kek);
  const record: DataKeyRecord = {
    generation,
    header: { kdf: kek.kdf, wrappedKey: current.wrappedKey },
    olderKeys: sealOlderKeys(keys.byGeneration, current.dataKey, generation),
    rotating: false,
  };
  const byGeneration = new Map(keys.byGeneration).set(generation, current.dataKey);
  return { record, generation, current, byGeneration };
}

function sealOlderKeys(keys: ReadonlyMap<number, Buffer>, dataKey: Buffer, generation: number): Buffer {
  const plaintext = JSON.stringify([...keys].map(([g, key]) => [g, key.toString('base64')]));
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(CIPHER, dataKey, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(olderKeysAad(generation));
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, data, cipher.getAuthTag()]);
}

function openOlderKeys(
  sealed: Buffer,
  dataKey: Buffer,
  generation: number,
  name: string,
): Array<[number, Buffer]> {
  const bad = (): never => {
    throw new CorruptStoreError(
      name,
      'its earlier data keys fail their integrity check',
      undefined,
      'The data key secret',
    );
  };
  let pairs: unknown;
  try {
    const decipher = createDecipheriv(CIPHER, dataKey, sealed.subarray(0, IV_BYTES), {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(olderKeysAad(generation));
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    const body = sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES);
    pairs = JSON.parse(Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8'));
  } catch {
    return bad();
  }
  if (!Array.isArray(pairs)) return bad();
  return pairs.map((pair: unknown): [number, Buffer] => {
    const [g, key] = Array.isArray(pair) ? pair : [];
    const bytes = base64(key);
    if (!Number.isSafeInteger(g) || g < 0 || g >= generation || bytes?.length !== 32) return bad();
    return [g as number, bytes as Buffer];
  });
}

function olderKeysAad(generation: number): Buffer {
  return Buffer.from(JSON.stringify([DATA_KEY_FORMAT, 2, 'older-keys', generation]), 'utf8');
}

function base64(value: unknown): Buffer | undefined {
  if (typeof value !== 'string' || value.length % 4 !== 0) return undefined;
  const bytes = Buffer.from(value, 'base64');
  return bytes.toString('base64') === value ? bytes : undefined;
}
