import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readWalletFile, statWalletFile, writeBackup, writeFileAtomic } from './wallet-file.io';

describe('wallet file I/O', () => {
  let dir: string;
  let path: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kms-io-'));
    path = join(dir, 'wallet.dat');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('replaces the file atomically with mode 0600 and reports the fingerprint a stat sees', async () => {
    writeFileSync(path, 'old', { mode: 0o644 });
    const fingerprint = await writeFileAtomic(path, 'new', () => undefined);
    expect(readFileSync(path, 'utf8')).toBe('new');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(await statWalletFile(path)).toBe(fingerprint);
    expect((await readWalletFile(path))?.fingerprint).toBe(fingerprint);
    expect(readdirSync(dir)).toEqual(['wallet.dat']);
  });

  it('aborted before the rename: the target is untouched and the temp file removed', async () => {
    writeFileSync(path, 'old');
    await expect(
      writeFileAtomic(path, 'new', () => {
        throw Object.assign(new Error('lost'), { code: 'ECOMPROMISED' });
      }),
    ).rejects.toMatchObject({ code: 'ECOMPROMISED' });
    expect(readFileSync(path, 'utf8')).toBe('old');
    expect(existsSync(`${path}.tmp`)).toBe(false);
  });

  it('a missing file reads and stats as null', async () => {
    expect(await readWalletFile(path)).toBeNull();
    expect(await statWalletFile(path)).toBeNull();
  });

  it('never overwrites a backup', async () => {
    expect(await writeBackup(path, Buffer.from('first'))).toBe(`${path}.bak`);
    const second = await writeBackup(path, Buffer.from('second'));
    const third = await writeBackup(path, Buffer.from('third'));
    expect(new Set([`${path}.bak`, second, third]).size).toBe(3);
    expect(readFileSync(`${path}.bak`, 'utf8')).toBe('first');
    expect(readFileSync(second, 'utf8')).toBe('second');
    expect(readFileSync(third, 'utf8')).toBe('third');
    expect(statSync(second).mode & 0o777).toBe(0o600);
  });
});
