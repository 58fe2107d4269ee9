import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WalletEntry, WalletMap } from '../wallet-entry';
import type { PasswordSource } from '../wallet-store.port';
import { FileWalletStore } from './file-wallet.store';
import { findLegacyBackups, removeLegacyBackup } from './legacy-backup';

/** crypto-js is a devDependency used only in tests, to write files exactly as tatum-kms does. */
const CryptoJS: {
  AES: { encrypt(text: string, password: string): { toString(): string } };
} = require('crypto-js');

class FixedPassword implements PasswordSource {
  readonly origin = 'test';
  constructor(private readonly value: string) {}
  async password(): Promise<string> {
    return this.value;
  }
}

const PASSWORD = 'legacy-password-1';
const LEGACY_MAP: WalletMap = {
  '0b8fe1a0-2c5c-4a1e-9d6c-6a3f0f1e2d3c': {
    mnemonic: 'legal winner thank year wave sausage worth useful legal winner thank yellow',
    xpub: 'xpub6E...',
    chain: 'ETH',
    testnet: false,
  },
  '6f1d2c3b-4a59-4e8f-8b7a-1c2d3e4f5a6b': { privateKey: 'cRtY...', chain: 'BTC', testnet: true },
  '9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d': {
    address: 'rLpgximdBvEHy8TxUwyj6mjCRNcJju5qGG',
    secret: 'sp8y8kecNjy88BZRr9U991iiRzFNf',
    chain: 'XRP',
    testnet: false,
  },
};
const NEW_ENTRY: WalletEntry = { privateKey: '0x' + '33'.repeat(32), chain: 'ETH', testnet: false };

describe('FileWalletStore on a tatum-kms (legacy) wallet file', () => {
  let dir: string;
  let path: string;
  let original: Buffer;
  const store = (password = PASSWORD) => new FileWalletStore(path, new FixedPassword(password));

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kms-legacy-store-'));
    path = join(dir, 'wallet.dat');
    writeFileSync(path, CryptoJS.AES.encrypt(JSON.stringify(LEGACY_MAP), PASSWORD).toString());
    original = readFileSync(path);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads every entry without modifying the file', async () => {
    const s = store();
    expect(await s.export()).toEqual(LEGACY_MAP);
    expect(await s.list({ chain: 'BTC', testnet: true })).toHaveLength(1);
    expect(readFileSync(path).equals(original)).toBe(true);
    expect(readdirSync(dir)).toEqual(['wallet.dat']);
  });

  it('reports a wrong password as WRONG_PASSWORD', async () => {
    await expect(store('not-it').export()).rejects.toMatchObject({ code: 'WRONG_PASSWORD' });
    await expect(store('not-it').add([NEW_ENTRY])).rejects.toMatchObject({ code: 'WRONG_PASSWORD' });
    expect(readFileSync(path).equals(original)).toBe(true);
  });

  it('converts to v2 on the first write, keeping every entry and a byte-identical .bak', async () => {
    const [id] = await store().add([NEW_ENTRY]);
    const converted = readFileSync(path, 'utf8');
    expect(JSON.parse(converted)).toMatchObject({
      format: 'tatum-kms-wallet',
      version: 2,
      kdf: { name: 'scrypt' },
    });
    expect(converted).not.toContain('legal winner');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(`${path}.bak`).equals(original)).toBe(true);
    expect(statSync(`${path}.bak`).mode & 0o777).toBe(0o600);
    expect(await store().export()).toEqual({ ...LEGACY_MAP, [id]: NEW_ENTRY });
    await expect(store('not-it').export()).rejects.toMatchObject({ code: 'WRONG_PASSWORD' });
  });

  it('never overwrites an existing backup: a second conversion writes .bak.<timestamp>', async () => {
    await store().add([NEW_ENTRY]);
    const firstBackup = readFileSync(`${path}.bak`);

    // The legacy file comes back (e.g. restored by the user) and is converted again.
    const second = CryptoJS.AES.encrypt(JSON.stringify(LEGACY_MAP), PASSWORD).toString();
    writeFileSync(path, second);
    await store().remove('6f1d2c3b-4a59-4e8f-8b7a-1c2d3e4f5a6b');

    expect(readFileSync(`${path}.bak`).equals(firstBackup)).toBe(true);
    const stamped = readdirSync(dir).filter((name) => name.startsWith('wallet.dat.bak.'));
    expect(stamped).toHaveLength(1);
    expect(readFileSync(join(dir, stamped[0]), 'utf8')).toBe(second);
    expect(Object.keys(await store().export())).toHaveLength(2);
    expect(existsSync(`${path}.tmp`)).toBe(false);
  });

  it('says once, through warn, that the converted original is kept as a weak backup', async () => {
    const warnings: string[] = [];
    const s = new FileWalletStore(path, new FixedPassword(PASSWORD), { warn: (line) => warnings.push(line) });
    await s.add([NEW_ENTRY]);
    await s.add([NEW_ENTRY]);
    expect(warnings).toEqual([
      `converted the tatum-kms wallet file to format v2; the original is kept as ${path}.bak, protected only by the weak tatum-kms encryption (crypto-js, MD5 key derivation): delete it once you have checked the conversion (changepassword offers to)`,
    ]);
    expect(warnings.join('')).not.toContain(PASSWORD);
  });

  it('finds the backups beside the file by name and format, and removes one', async () => {
    await store().add([NEW_ENTRY]);
    writeFileSync(`${path}.bak.notes`, 'not a wallet file');
    writeFileSync(join(dir, 'other.dat.bak'), original);
    expect(await findLegacyBackups(path)).toEqual([`${path}.bak`]);
    await removeLegacyBackup(`${path}.bak`);
    expect(existsSync(`${path}.bak`)).toBe(false);
    expect(await findLegacyBackups(path)).toEqual([]);
    expect(await findLegacyBackups(join(dir, 'missing', 'wallet.dat'))).toEqual([]);
  });

  it('changes the password of a legacy file by converting it', async () => {
    await store().changePassword('brand-new');
    expect(await store('brand-new').export()).toEqual(LEGACY_MAP);
    expect(readFileSync(`${path}.bak`).equals(original)).toBe(true);
  });
});
