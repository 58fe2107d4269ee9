import { constants, promises as fs } from 'node:fs';
import type { BigIntStats } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Raw file operations of the wallet file. They throw plain Node errors (with `code`); the store maps
 * them to its typed errors.
 */

/** Identity of one version of the file: a write (rename of a new inode) always changes it. */
export type Fingerprint = string;

export interface FileSnapshot {
  bytes: Buffer;
  fingerprint: Fingerprint;
}

/** The file's bytes and the fingerprint of exactly those bytes; null if it does not exist. */
export async function readWalletFile(path: string): Promise<FileSnapshot | null> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  try {
    const stats = await handle.stat({ bigint: true });
    return { bytes: await handle.readFile(), fingerprint: fingerprintOf(stats) };
  } finally {
    await handle.close();
  }
}

/** Fingerprint of the current file (a stat, no read); null if it does not exist. */
export async function statWalletFile(path: string): Promise<Fingerprint | null> {
  try {
    return fingerprintOf(await fs.stat(path, { bigint: true }));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** Creates the folder (and missing parents) with mode 0700; an existing folder is left as it is. */
export async function ensureFolder(path: string): Promise<void> {
  await fs.mkdir(path, { recursive: true, mode: 0o700 });
}

/**
 * Replaces `path` atomically: writes `<path>.tmp` (mode 0600, fsynced), calls `beforeCommit` (which may
 * throw to abort), renames it over `path`, then fsyncs the folder. A leftover `.tmp` from a crashed
 * writer is removed first (the caller holds the lock, so nobody else owns it). On failure the target is
 * untouched and the temp file this call created is removed. Returns the new file's fingerprint.
 */
export async function writeFileAtomic(
  path: string,
  text: string,
  beforeCommit: () => void,
): Promise<Fingerprint> {
  const tmp = `${path}.tmp`;
  await unlinkIfExists(tmp);
  let created = false;
  try {
    let fingerprint: Fingerprint;
    const handle = await fs.open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
    created = true;
    try {
      await handle.chmod(0o600);
      await handle.writeFile(text, 'utf8');
      await handle.sync();
      fingerprint = fingerprintOf(await handle.stat({ bigint: true }));
    } finally {
      await handle.close();
    }
    beforeCommit();
    await fs.rename(tmp, path);
    created = false;
    await fsyncFolder(dirname(path));
    return fingerprint;
  } catch (error) {
    if (created) await fs.unlink(tmp).catch(() => undefined);
    throw error;
  }
}

/**
 * Copies `bytes` to `<path>.bak`, or to `<path>.bak.<timestamp>` if a backup already exists: an
 * existing backup is never overwritten. Mode 0600, fsynced. Returns the backup's path.
 */
export async function writeBackup(path: string, bytes: Buffer): Promise<string> {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const candidates = [`${path}.bak`, `${path}.bak.${stamp}`];
  for (let n = 1; n <= 100; n++) candidates.push(`${path}.bak.${stamp}-${n}`);
  for (const candidate of candidates) {
    let handle: fs.FileHandle;
    try {
      handle = await fs.open(candidate, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw error;
    }
    try {
      await handle.writeFile(bytes);
      await handle.sync();
      await handle.close();
    } catch (error) {
      await handle.close().catch(() => undefined);
      await fs.unlink(candidate).catch(() => undefined);
      throw error;
    }
    return candidate;
  }
  throw Object.assign(new Error('no free backup file name'), { code: 'EEXIST' });
}

async function unlinkIfExists(path: string): Promise<void> {
  try {
    await fs.unlink(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/**
 * Makes the rename durable. Best effort: some platforms and file systems refuse fsync on a folder
 * (EINVAL, EISDIR, EPERM); the new file is complete and in place either way.
 */
async function fsyncFolder(path: string): Promise<void> {
  const handle = await fs.open(path, 'r').catch(() => undefined);
  if (!handle) return;
  try {
    await handle.sync();
  } catch {
    // see above
  } finally {
    await handle.close();
  }
}

function fingerprintOf(stats: BigIntStats): Fingerprint {
  return `${stats.dev}:${stats.ino}:${stats.size}:${stats.mtimeNs}`;
}
