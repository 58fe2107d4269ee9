import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { createDataKey, deriveKek, newScryptParams, sealWalletMap, type WalletMap } from '@kms/storage';

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
