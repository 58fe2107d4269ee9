import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  createDataKey,
  deriveKek,
  keyHeaderJson,
  newScryptParams,
  parseKeyHeader,
  rewrapDataKey,
  sealWalletMap,
  unwrapDataKey,
  type WalletMap,
} from '@kms/storage';

/**
 * scrypt cost for test stores: the smallest the wallet file format accepts (N=2^10), ~1 ms instead
 * of ~0.3 s. The product writes new files with DEFAULT_SCRYPT_COST and reads any file with the cost
 * its header names, so a test store costs no scrypt time yet goes through the same code.
 */
export const TEST_SCRYPT_COST = { N: 1024, r: 8, p: 1 } as const;

/** Writes a wallet file (format v2, mode 0600) holding `wallets`, sealed with a cheap KDF. */
export async function writeTestWalletFile(
  path: string,
  password: string,
  wallets: WalletMap = {},
): Promise<void> {
  const key = createDataKey(await deriveKek(password, newScryptParams(TEST_SCRYPT_COST)));
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeFileSync(path, sealWalletMap(wallets, key), { mode: 0o600 });
}

/**
 * A vault store's data key record (the `<prefix>data-key` secret, as the store wrote it) with the same
 * data key re-wrapped under TEST_SCRYPT_COST, or undefined when `text` is no record or is cheap already.
 * Written back into a fake vault after the store's first write (which the specs check as the product
 * does it), every later command of that store derives its key in ~1 ms instead of ~0.3 s, through the
 * same code: the product reads any record with the cost its header names.
 */
export async function withTestScryptCost(
  text: string | undefined,
  password: string,
): Promise<string | undefined> {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(text ?? '') as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (record?.format !== 'tatum-kms-vault-key') return undefined;
  const parsed = parseKeyHeader(record);
  if (!parsed.ok)
    throw new Error(`withTestScryptCost: field ${parsed.field} of the data key record is invalid`);
  if (parsed.header.kdf.N === TEST_SCRYPT_COST.N) return undefined;
  const current = unwrapDataKey(parsed.header, await deriveKek(password, parsed.header.kdf));
  const cheap = rewrapDataKey(current, await deriveKek(password, newScryptParams(TEST_SCRYPT_COST)));
  return JSON.stringify({
    ...record,
    ...keyHeaderJson({ kdf: cheap.kek.kdf, wrappedKey: cheap.wrappedKey }),
  });
}
