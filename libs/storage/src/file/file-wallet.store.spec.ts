import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WalletEntry } from '../wallet-entry';
import type { PasswordSource } from '../wallet-store.port';
import { FileWalletStore } from './file-wallet.store';
import { openWalletMap, parseEnvelope, unlockEnvelope } from './wallet-file.codec';

// The module object itself (not an interop copy), so the spy sees the codec's calls.
import nodeCrypto = require('node:crypto');

class FixedPassword implements PasswordSource {
  readonly origin = 'test';
  calls = 0;
  constructor(private readonly value: string) {}
  async password(): Promise<string> {
    this.calls++;
    return this.value;
  }
}

const PASSWORD = 'store-password';
const ETH_MAIN: WalletEntry = {
  mnemonic: 'test test test test test test test test test test test junk',
  xpub: 'xpub-eth',
  chain: 'ETH',
  testnet: false,
};
const ETH_TEST: WalletEntry = { privateKey: '0x' + '22'.repeat(32), chain: 'ETH', testnet: true };
const BTC_TEST: WalletEntry = {
  privateKey: 'cVt4o7BGAig1UXywgGSmARhxMdzP5qvQsxKkSsc1XEkw3tDTQFpy',
  chain: 'BTC',
  testnet: true,
};
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const isRoot = process.getuid?.() === 0;

describe('FileWalletStore', () => {
  let dir: string;
  let path: string;
  /** Stores of this spec use the cheapest scrypt cost the format accepts, except where the cost is the point. */
  const store = (password = PASSWORD, location = path) =>
    new FileWalletStore(location, new FixedPassword(password), { scryptCost: { N: 1024, r: 8, p: 1 } });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kms-file-store-'));
    path = join(dir, 'wallet.dat');
  });
  afterEach(() => {
    chmodSync(dir, 0o700);
    rmSync(dir, { recursive: true, force: true });
  });

  it('describes itself without touching the file', () => {
    expect(store().describe()).toEqual({ type: 'file', location: path });
    expect(readdirSync(dir)).toEqual([]);
  });

  it("names its key's scrypt cost once a read unlocked it (the journal's seal key takes it)", async () => {
    await store().add([ETH_TEST]);
    const reader = store();
    expect(reader.keyCost()).toBeUndefined();
    await reader.ids();
    expect(reader.keyCost()).toEqual({ N: 1024, r: 8, p: 1 });
  });

  it('reads a missing file as an empty store without asking for a password or creating anything', async () => {
    const passwords = new FixedPassword(PASSWORD);
    const s = new FileWalletStore(join(dir, 'sub', 'wallet.dat'), passwords);
    await expect(s.get('nope')).rejects.toMatchObject({ code: 'WALLET_NOT_FOUND' });
    expect(await s.export()).toEqual({});
    expect(await s.list()).toEqual([]);
    expect(passwords.calls).toBe(0);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('adds, gets, lists with filters, removes and exports; the password is asked once', async () => {
    const passwords = new FixedPassword(PASSWORD);
    const nested = join(dir, 'home', '.tatumrc', 'wallet.dat');
    const s = new FileWalletStore(nested, passwords);
    const [eth, ethTest, btc] = await s.add([ETH_MAIN, ETH_TEST, BTC_TEST]);
    for (const id of [eth, ethTest, btc]) expect(id).toMatch(UUID_V4);
    expect(await s.get(eth)).toEqual(ETH_MAIN);
    expect((await s.list()).map((w) => w.id)).toEqual([eth, ethTest, btc]);
    expect(await s.list({ chain: 'ETH' })).toEqual([
      { id: eth, entry: ETH_MAIN },
      { id: ethTest, entry: ETH_TEST },
    ]);
    expect(await s.list({ chain: 'ETH', testnet: true })).toEqual([{ id: ethTest, entry: ETH_TEST }]);
    expect(await s.ids({ chain: ['BTC', 'ETH'], testnet: true })).toEqual([ethTest, btc]);
    expect(await s.ids({ chain: ['USDT'] })).toEqual([]);
    expect(await s.list({ testnet: true })).toEqual([
      { id: ethTest, entry: ETH_TEST },
      { id: btc, entry: BTC_TEST },
    ]);
    await s.remove(ethTest);
    await expect(s.get(ethTest)).rejects.toMatchObject({ code: 'WALLET_NOT_FOUND' });
    await expect(s.remove(ethTest)).rejects.toMatchObject({ code: 'WALLET_NOT_FOUND' });
    expect(await s.export()).toEqual({ [eth]: ETH_MAIN, [btc]: BTC_TEST });
    expect(await store(PASSWORD, nested).export()).toEqual({ [eth]: ETH_MAIN, [btc]: BTC_TEST });
    expect(passwords.calls).toBe(1);

    expect(statSync(nested).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'home', '.tatumrc')).mode & 0o777).toBe(0o700);
    expect(readdirSync(join(dir, 'home', '.tatumrc'))).toEqual(['wallet.dat']);
    expect(readFileSync(nested, 'utf8')).not.toContain('test junk');
  });

  it('returns copies: mutating a result does not change the store', async () => {
    const s = store();
    const [id] = await s.add([ETH_MAIN]);
    (await s.get(id)).chain = 'BTC';
    (await s.export())[id].chain = 'BTC';
    expect((await s.get(id)).chain).toBe('ETH');
  });

  it('re-reads under the lock: a second instance never loses the first one’s writes', async () => {
    const a = store();
    const b = store();
    const [first] = await a.add([ETH_MAIN]);
    expect(await b.export()).toEqual({ [first]: ETH_MAIN }); // b now caches this version
    const [second] = await a.add([ETH_TEST]);
    const [third] = await b.add([BTC_TEST]); // b's cache is stale; the locked re-read picks up `second`
    expect(Object.keys(await b.export()).sort()).toEqual([first, second, third].sort());

    expect(await a.refreshIfChanged()).toBe(true);
    expect(Object.keys(await a.export()).sort()).toEqual([first, second, third].sort());
    expect(await a.refreshIfChanged()).toBe(false);
    expect(await b.refreshIfChanged()).toBe(false);
  });

  it('writes a new file with the default scrypt cost (N=2^16, r=8, p=1)', async () => {
    await new FileWalletStore(path, new FixedPassword(PASSWORD)).add([ETH_MAIN]);
    expect(JSON.parse(readFileSync(path, 'utf8')).kdf).toMatchObject({
      name: 'scrypt',
      N: 65536,
      r: 8,
      p: 1,
    });
  });

  it('runs scrypt once per instance across several writes and reads', async () => {
    const scrypt = jest.spyOn(nodeCrypto, 'scrypt');
    try {
      const a = store();
      for (let i = 0; i < 4; i++) await a.add([ETH_MAIN]);
      const [id] = await a.add([BTC_TEST]);
      await a.remove(id);
      await a.list();
      expect(scrypt).toHaveBeenCalledTimes(1);

      const b = store();
      await b.add([ETH_TEST]);
      await b.add([ETH_TEST]);
      await a.add([ETH_TEST]);
      expect(await a.refreshIfChanged()).toBe(false); // a wrote last
      expect(await b.refreshIfChanged()).toBe(true);
      expect(scrypt).toHaveBeenCalledTimes(2);
    } finally {
      scrypt.mockRestore();
    }
  });

  it('rejects a wrong password as WRONG_PASSWORD on reads and writes, leaving the file as it was', async () => {
    await store().add([ETH_MAIN]);
    const before = readFileSync(path);
    await expect(store('wrong').export()).rejects.toMatchObject({ code: 'WRONG_PASSWORD' });
    await expect(store('wrong').add([ETH_TEST])).rejects.toMatchObject({ code: 'WRONG_PASSWORD' });
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('changes the password: same entries, new salt; the old password no longer opens it', async () => {
    const s = store();
    const ids = await s.add([ETH_MAIN, BTC_TEST]);
    const before = JSON.parse(readFileSync(path, 'utf8'));
    await s.changePassword('new-password');
    const after = JSON.parse(readFileSync(path, 'utf8'));
    expect(after.kdf.salt).not.toEqual(before.kdf.salt);
    expect(after.iv).not.toEqual(before.iv);
    await expect(store().export()).rejects.toMatchObject({ code: 'WRONG_PASSWORD' });
    expect(Object.keys(await store('new-password').export())).toEqual(ids);
    // The instance that changed it keeps working with the new key.
    await s.add([ETH_TEST]);
    expect(Object.keys(await store('new-password').export())).toHaveLength(3);
    await expect(s.changePassword('')).rejects.toMatchObject({ code: 'PASSWORD_REQUIRED' });
  });

  it('rotates the data key: an old copy and the old password cannot read what is written afterwards', async () => {
    const s = store();
    await s.add([ETH_MAIN]);
    const oldCopy = parseEnvelope(readFileSync(path, 'utf8'), path);
    await expect(s.changePassword('new-password')).resolves.toEqual({
      wallets: 1,
      unreadable: 0,
      resumed: false,
    });
    await s.add([ETH_TEST]);
    const current = parseEnvelope(readFileSync(path, 'utf8'), path);
    const oldKey = await unlockEnvelope(oldCopy, PASSWORD);
    const newKey = await unlockEnvelope(current, 'new-password');
    expect(newKey.dataKey.equals(oldKey.dataKey)).toBe(false);
    expect(() => openWalletMap(current, oldKey, path)).toThrow(/fail their integrity check/);
    expect(Object.values(openWalletMap(current, newKey, path))).toEqual([ETH_MAIN, ETH_TEST]);
  });

  it('reports a non-wallet file and an empty file as UNKNOWN_STORE_FORMAT and never overwrites them', async () => {
    for (const content of ['just some notes\n', '', '{"name":"package.json"}']) {
      writeFileSync(path, content);
      await expect(store().export()).rejects.toMatchObject({ code: 'UNKNOWN_STORE_FORMAT' });
      await expect(store().add([ETH_MAIN])).rejects.toMatchObject({ code: 'UNKNOWN_STORE_FORMAT' });
      expect(readFileSync(path, 'utf8')).toBe(content);
    }
  });

  it('reports an envelope with a bad field as CORRUPT_STORE', async () => {
    await store().add([ETH_MAIN]);
    const envelope = JSON.parse(readFileSync(path, 'utf8'));
    writeFileSync(path, JSON.stringify({ ...envelope, tag: 'short' }));
    await expect(store().export()).rejects.toMatchObject({ code: 'CORRUPT_STORE' });
  });

  it('overwrites a leftover .tmp of a crashed writer', async () => {
    await store().add([ETH_MAIN]);
    writeFileSync(`${path}.tmp`, 'half-written garbage', { mode: 0o644 });
    await store().add([ETH_TEST]);
    expect(existsSync(`${path}.tmp`)).toBe(false);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(Object.keys(await store().export())).toHaveLength(2);
  });

  it('takes over a lock left by a crashed writer once it is stale', async () => {
    await store().add([ETH_MAIN]);
    mkdirSync(`${path}.lock`);
    const longAgo = new Date(Date.now() - 60_000);
    utimesSync(`${path}.lock`, longAgo, longAgo);
    await store().add([ETH_TEST]);
    expect(Object.keys(await store().export())).toHaveLength(2);
    expect(existsSync(`${path}.lock`)).toBe(false);
  });

  it('fails a blocked write with STORE_WRITE_FAILED and leaves the file byte-identical (works as root)', async () => {
    await store().add([ETH_MAIN]);
    const before = readFileSync(path);
    mkdirSync(`${path}.tmp`); // a directory where the temp file must go: no user, root included, can write it
    const error = await store()
      .add([ETH_TEST])
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'STORE_WRITE_FAILED' });
    expect((error as Error).message).toContain('a directory is in the way');
    expect((error as Error).message).not.toContain(PASSWORD);
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(existsSync(`${path}.lock`)).toBe(false); // the lock was released
  });

  (isRoot ? it.skip : it)(
    'fails in a read-only folder with "permission denied" (skipped as root: chmod does not stop root)',
    async () => {
      await store().add([ETH_MAIN]);
      const before = readFileSync(path);
      chmodSync(dir, 0o500);
      const error = await store()
        .add([ETH_TEST])
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'STORE_WRITE_FAILED' });
      expect((error as Error).message).toContain('permission denied');
      chmodSync(dir, 0o700);
      expect(readFileSync(path).equals(before)).toBe(true);
      expect(readdirSync(dir)).toEqual(['wallet.dat']);
    },
  );

  it('adds 10,000 entries in one call (one encryption, one write)', async () => {
    const s = store();
    const entries = Array.from({ length: 10_000 }, (_, i) => ({
      privateKey: `0x${i.toString(16).padStart(64, '0')}`,
      chain: 'ETH',
      testnet: i % 2 === 0,
    }));
    const started = performance.now();
    const ids = await s.add(entries);
    const addMs = performance.now() - started;
    expect(new Set(ids).size).toBe(10_000);
    const reopened = store();
    const readStarted = performance.now();
    expect(await reopened.list({ chain: 'ETH', testnet: true })).toHaveLength(5_000);
    const readMs = performance.now() - readStarted;
    console.log(
      `FileWalletStore: add(10,000 entries) ${addMs.toFixed(0)} ms incl. one scrypt; ` +
        `cold read ${readMs.toFixed(0)} ms incl. one scrypt; file ${statSync(path).size} bytes`,
    );
  }, 60_000);

  it('imports entries under their own ids in one write; identical ones are kept, different ones refused', async () => {
    const s = store();
    const [own] = await s.add([BTC_TEST]);
    const map = {
      'a4f0c1d2-0000-4000-8000-000000000001': ETH_MAIN,
      'a4f0c1d2-0000-4000-8000-000000000002': ETH_TEST,
    };
    await s.import(map);
    await s.import(map);
    await expect(store().export()).resolves.toEqual({ [own]: BTC_TEST, ...map });
    const before = readFileSync(path);
    await expect(
      s.import({
        'a4f0c1d2-0000-4000-8000-000000000001': ETH_TEST,
        'a4f0c1d2-0000-4000-8000-000000000003': ETH_TEST,
      }),
    ).rejects.toMatchObject({ code: 'WALLET_EXISTS' });
    await expect(s.import({ __proto__: ETH_MAIN } as never)).resolves.toBeUndefined();
    await expect(s.import(JSON.parse('{"__proto__": {"chain": "ETH"}}'))).rejects.toMatchObject({
      code: 'INVALID_WALLET_ID',
    });
    expect(readFileSync(path).equals(before)).toBe(true);
  });
});
