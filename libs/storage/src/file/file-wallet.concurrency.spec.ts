import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WalletEntry } from '../wallet-entry';
import type { PasswordSource } from '../wallet-store.port';
import { FileWalletStore } from './file-wallet.store';

class FixedPassword implements PasswordSource {
  readonly origin = 'test';
  async password(): Promise<string> {
    return 'concurrency-password';
  }
}

/** The cheapest cost the format accepts: this spec is about locking, not about scrypt. */
const FAST = { scryptCost: { N: 1024, r: 8, p: 1 } };

const entry = (i: number): WalletEntry => ({
  privateKey: `0x${i.toString(16).padStart(64, '0')}`,
  chain: 'BTC',
  testnet: false,
});

describe('FileWalletStore under concurrent writers (in-process, one instance each)', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'kms-concurrency-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function addInParallel(path: string, writers: number): Promise<string[]> {
    const stores = Array.from(
      { length: writers },
      () => new FileWalletStore(path, new FixedPassword(), FAST),
    );
    const ids = await Promise.all(stores.map((store, i) => store.add([entry(i)])));
    return ids.flat();
  }

  it('20 parallel adds to an existing file leave exactly 20 new entries', async () => {
    const path = join(dir, 'wallet.dat');
    const [seed] = await new FileWalletStore(path, new FixedPassword(), FAST).add([entry(999)]);
    const ids = await addInParallel(path, 20);
    const exported = await new FileWalletStore(path, new FixedPassword(), FAST).export();
    expect(Object.keys(exported).sort()).toEqual([seed, ...ids].sort());
    expect(readdirSync(dir)).toEqual(['wallet.dat']);
  }, 60_000);

  it('20 parallel adds racing to create the file leave exactly 20 entries', async () => {
    const path = join(dir, 'new', 'wallet.dat');
    const ids = await addInParallel(path, 20);
    const exported = await new FileWalletStore(path, new FixedPassword(), FAST).export();
    expect(Object.keys(exported).sort()).toEqual([...ids].sort());
    expect(existsSync(`${path}.lock`)).toBe(false);
  }, 60_000);
});
