import { randomFillSync } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { isLegacyWalletText } from './legacy-crypto-js';

/**
 * The backups of tatum-kms wallet files that the file store keeps when it converts one to format v2
 * (`<file>.bak`, or `<file>.bak.<timestamp>` when that name was taken, see writeBackup). They are
 * protected only by crypto-js (one MD5 round of key derivation) and open with the password they were
 * written with, even after `changepassword`: the CLI warns about them and offers to delete them.
 */

const WEAKNESS = 'protected only by the weak tatum-kms encryption (crypto-js, MD5 key derivation)';

/** Said once, when a conversion has just written the backup. One line, names only the path. */
export function legacyConversionNotice(backup: string): string {
  return `converted the tatum-kms wallet file to format v2; the original is kept as ${backup}, ${WEAKNESS}: delete it once you have checked the conversion (changepassword offers to)`;
}

/** For report, checkconfig and changepassword: one line per backup still on disk. */
export function legacyBackupWarning(backup: string): string {
  return `the tatum-kms backup ${backup} is still on disk, ${WEAKNESS}, and opens with the password it was written with even after changepassword: delete it once the conversion is checked`;
}

/**
 * Paths of the tatum-kms backups beside `walletPath`: files named `<file>.bak` or `<file>.bak.*`
 * whose contents are in tatum-kms's format. Reads only names and contents, never decrypts. A folder
 * that does not exist or cannot be read has none.
 */
export async function findLegacyBackups(walletPath: string): Promise<string[]> {
  const folder = dirname(walletPath);
  const prefix = `${basename(walletPath)}.bak`;
  let names: string[];
  try {
    names = await fs.readdir(folder);
  } catch {
    return [];
  }
  const found: string[] = [];
  for (const name of names.sort()) {
    if (name !== prefix && !name.startsWith(`${prefix}.`)) continue;
    const path = join(folder, name);
    const text = await fs.readFile(path, 'utf8').catch(() => undefined);
    if (text !== undefined && isLegacyWalletText(text.trim())) found.push(path);
  }
  return found;
}

/**
 * Overwrites the file with random bytes (fsynced), then removes it and fsyncs its folder. The
 * overwrite is best effort: copy-on-write file systems, SSD wear levelling and snapshots may keep
 * the old blocks; removing the file is what is guaranteed.
 */
export async function removeLegacyBackup(path: string): Promise<void> {
  const handle = await fs.open(path, 'r+');
  try {
    const { size } = await handle.stat();
    const chunk = Buffer.alloc(Math.min(size, 1 << 20));
    for (let offset = 0; offset < size; offset += chunk.length) {
      const length = Math.min(chunk.length, size - offset);
      randomFillSync(chunk, 0, length);
      await handle.write(chunk, 0, length, offset);
    }
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.unlink(path);
  const folder = await fs.open(dirname(path), 'r').catch(() => undefined);
  await folder
    ?.sync()
    .catch(() => undefined)
    .finally(() => folder.close());
}
