import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { WalletEntry } from '../wallet-entry';
import { CorruptStoreError } from '../storage.errors';
import { keyHeaderJson, parseKeyHeader, type KeyHeader, type UnlockedKey } from '../file/wallet-file.codec';

/**
 * The two kinds of secret the vault wallet store writes (pure: no vault calls).
 *
 * Data key record, one per store (`<prefix>data-key`):
 *   `{"format":"tatum-kms-vault-key","version":1,"kdf":{"name":"scrypt","N","r","p","salt"},"wrappedKey"}`
 * the wallet file's key header: a random 256-bit data key wrapped (AES-256-GCM) by a key derived from
 * the store password with scrypt (same parameters and wrap as the file, wallet-file.codec.ts).
 *
 * Wallet secret, one per wallet (`<prefix><signatureId>`): `{"v":1,"iv","tag","data"}` (base64), the
 * entry's JSON under AES-256-GCM with the data key and a fresh 12-byte IV; the additional data is the
 * secret's name (in a versioned, domain-separated form), so a value copied or swapped under another
 * name fails its tag. A failed tag or a plaintext that is not an entry is CorruptStoreError naming the
 * wallet, never quoting the value.
 */

export const DATA_KEY_FORMAT = 'tatum-kms-vault-key';
export const DATA_KEY_VERSION = 1;
const CIPHER = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export function sealDataKeyRecord(key: UnlockedKey): string {
  return JSON.stringify({ format: DATA_KEY_FORMAT, version: DATA_KEY_VERSION, ...keyHeaderJson(key) });
}

/** The key header of a data key record; CorruptStoreError (naming the secret) if it is not one. */
export function parseDataKeyRecord(text: string, name: string): KeyHeader {
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
  if (record.version !== DATA_KEY_VERSION) return bad(`version ${String(record.version)} is not supported`);
  const parsed = parseKeyHeader(record);
  return parsed.ok ? parsed.header : bad(`field "${parsed.field}" is missing or invalid`);
}

export function sealWalletSecret(entry: WalletEntry, name: string, dataKey: Buffer): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(CIPHER, dataKey, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(walletAad(name));
  const data = Buffer.concat([cipher.update(JSON.stringify(entry), 'utf8'), cipher.final()]);
  return JSON.stringify({
    v: 1,
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    data: data.toString('base64'),
  });
}

/** Decrypts the value of secret `name`; CorruptStoreError naming `id` if it fails in any way. */
export function openWalletSecret(value: string, name: string, dataKey: Buffer, id: string): WalletEntry {
  const bad = (detail: string, cause?: unknown): never => {
    throw new CorruptStoreError(id, detail, cause, 'Wallet');
  };
  let sealed: Record<string, unknown>;
  try {
    sealed = JSON.parse(value) as Record<string, unknown>;
  } catch {
    return bad('its secret is not an encrypted wallet of this KMS');
  }
  const iv = base64(sealed?.iv);
  const tag = base64(sealed?.tag);
  const data = base64(sealed?.data);
  if (sealed?.v !== 1 || iv?.length !== IV_BYTES || tag?.length !== TAG_BYTES || !data)
    return bad('its secret is not an encrypted wallet of this KMS');
  const decipher = createDecipheriv(CIPHER, dataKey, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(walletAad(name));
  decipher.setAuthTag(tag);
  let plaintext: string;
  try {
    plaintext = Buffer.concat([decipher.update(data), decipher.final()]).toString('utf8');
  } catch (error) {
    return bad(
      'its secret fails its integrity check (altered, or copied from another wallet or store)',
      error,
    );
  }
  let entry: unknown;
  try {
    entry = JSON.parse(plaintext);
  } catch {
    return bad('its decrypted contents are not a wallet');
  }
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry))
    return bad('its decrypted contents are not a wallet');
  return entry as WalletEntry;
}

function walletAad(name: string): Buffer {
  return Buffer.from(JSON.stringify(['tatum-kms-vault-wallet', 1, name]), 'utf8');
}

function base64(value: unknown): Buffer | undefined {
  if (typeof value !== 'string' || value.length % 4 !== 0) return undefined;
  const bytes = Buffer.from(value, 'base64');
  return bytes.toString('base64') === value ? bytes : undefined;
}
