import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { WalletEntry } from '../wallet-entry';
import { CorruptStoreError } from '../storage.errors';

/**
 * The wallet secrets of the vault wallet store (pure: no vault calls); the data key record is in
 * data-key-record.ts.
 *
 * One secret per wallet (`<prefix><signatureId>`): the entry's JSON under AES-256-GCM with a data key
 * and a fresh 12-byte IV. The secret names the key generation that sealed it:
 *   generation 0: `{"v":1,"iv","tag","data"}`, additional data `["tatum-kms-vault-wallet",1,<name>]`
 *   generation g: `{"v":2,"g":g,"iv","tag","data"}`, additional data `["tatum-kms-vault-wallet",2,<name>,g]`
 * (binary fields base64). The name is authenticated, so a value copied or swapped under another name
 * fails its tag. A failed tag or a plaintext that is not an entry is CorruptStoreError naming the
 * wallet, never quoting the value.
 */

const CIPHER = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A wallet secret's parts, read but not decrypted. */
export interface SealedWallet {
  readonly generation: number;
  readonly iv: Buffer;
  readonly tag: Buffer;
  readonly data: Buffer;
}

export function sealWalletSecret(
  entry: WalletEntry,
  name: string,
  dataKey: Buffer,
  generation: number,
): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(CIPHER, dataKey, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(walletAad(name, generation));
  const data = Buffer.concat([cipher.update(JSON.stringify(entry), 'utf8'), cipher.final()]);
  return JSON.stringify({
    ...(generation === 0 ? { v: 1 } : { v: 2, g: generation }),
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    data: data.toString('base64'),
  });
}

/** Reads a secret's generation and parts; CorruptStoreError naming `id` if it is not one of ours. */
export function readWalletSecret(value: string, id: string): SealedWallet {
  const bad = (): never => {
    throw new CorruptStoreError(id, 'its secret is not an encrypted wallet of this KMS', undefined, 'Wallet');
  };
  let sealed: Record<string, unknown>;
  try {
    sealed = JSON.parse(value) as Record<string, unknown>;
  } catch {
    return bad();
  }
  const iv = base64(sealed?.iv);
  const tag = base64(sealed?.tag);
  const data = base64(sealed?.data);
  const generation = sealed?.v === 1 ? 0 : sealed?.v === 2 ? sealed.g : undefined;
  if (typeof generation !== 'number' || !Number.isSafeInteger(generation) || generation < 0) return bad();
  if (sealed.v === 2 && generation === 0) return bad();
  if (iv?.length !== IV_BYTES || tag?.length !== TAG_BYTES || !data) return bad();
  return { generation, iv, tag, data };
}

/** Decrypts secret `name` with its generation's key; CorruptStoreError naming `id` if it fails in any way. */
export function openWalletSecret(
  sealed: SealedWallet,
  name: string,
  dataKey: Buffer,
  id: string,
): WalletEntry {
  const bad = (detail: string, cause?: unknown): never => {
    throw new CorruptStoreError(id, detail, cause, 'Wallet');
  };
  const decipher = createDecipheriv(CIPHER, dataKey, sealed.iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(walletAad(name, sealed.generation));
  decipher.setAuthTag(sealed.tag);
  let plaintext: string;
  try {
    plaintext = Buffer.concat([decipher.update(sealed.data), decipher.final()]).toString('utf8');
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

/** A wallet sealed under a generation whose key the data key record does not hold. */
export function unknownGeneration(id: string, generation: number): CorruptStoreError {
  return new CorruptStoreError(
    id,
    `its secret is sealed with data key generation ${generation}, which the data key record does not hold`,
    undefined,
    'Wallet',
  );
}

function walletAad(name: string, generation: number): Buffer {
  const parts = generation === 0 ? [1, name] : [2, name, generation];
  return Buffer.from(JSON.stringify(['tatum-kms-vault-wallet', ...parts]), 'utf8');
}

function base64(value: unknown): Buffer | undefined {
  if (typeof value !== 'string' || value.length % 4 !== 0) return undefined;
  const bytes = Buffer.from(value, 'base64');
  return bytes.toString('base64') === value ? bytes : undefined;
}
