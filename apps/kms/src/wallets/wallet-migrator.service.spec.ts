import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  FileWalletStore,
  VaultWalletStore,
  type PasswordSource,
  type ResolvedStorage,
  type WalletEntry,
  type WalletStore,
} from '@kms/storage';
import { InMemoryVault } from '@kms/storage/testing';
import { WalletMigrator } from './wallet-migrator.service';

const passwords: PasswordSource = { origin: 'test', password: async () => 'migration-password' };
const FAST = { scryptCost: { N: 1024, r: 8, p: 1 } };
const entries = (count: number): WalletEntry[] =>
  Array.from({ length: count }, (_, i) => ({
    privateKey: `0x${i.toString(16).padStart(64, '0')}`,
    chain: 'ETH',
    testnet: i % 2 === 0,
  }));

describe('WalletMigrator', () => {
  let dir: string;
  let path: string;
  let vault: InMemoryVault;
  let tamper: ((store: WalletStore) => WalletStore) | undefined;
  const open = (storage: string): WalletStore => {
    if (storage === 'file') return new FileWalletStore(path, passwords);
    const store = new VaultWalletStore(vault, passwords, 'kms-', FAST);
    return tamper ? tamper(store) : store;
  };
  const factory = open;
  const providers = [{ type: 'file' }, { type: 'memory' }] as unknown as ResolvedStorage['providers'];
  const migrator = () => new WalletMigrator(async (type) => open(type), passwords, { providers });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kms-migrate-'));
    path = join(dir, 'wallet.dat');
    vault = new InMemoryVault();
    tamper = undefined;
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('copies file -> vault -> file with every entry identical, never writing the source', async () => {
    const ids = await factory('file').add(entries(300));
    const original = await factory('file').export();
    const bytes = readFileSync(path);
    await expect(migrator().migrate('file', 'memory')).resolves.toEqual({
      migrated: 300,
      verified: 300,
      from: 'file',
      to: 'memory',
    });
    expect(readFileSync(path).equals(bytes)).toBe(true);
    await expect(factory('memory').export()).resolves.toEqual(original);

    path = join(dir, 'back.dat');
    await expect(migrator().migrate('memory', 'file')).resolves.toMatchObject({
      migrated: 300,
      verified: 300,
    });
    await expect(factory('file').export()).resolves.toEqual(original);
    expect(Object.keys(original).sort()).toEqual([...ids].sort());
  });

  it('can be re-run: identical wallets already in the target are kept', async () => {
    await factory('file').add(entries(20));
    await migrator().migrate('file', 'memory');
    const puts = vault.names('put').length;
    await expect(migrator().migrate('FILE', 'memory')).resolves.toMatchObject({ migrated: 20, verified: 20 });
    expect(vault.names('put').length).toBe(puts);
  });

  it('refuses a target holding a different wallet under the same id, writing nothing', async () => {
    const [id] = await factory('file').add(entries(3));
    await factory('memory').import({ [id]: { privateKey: '0xother', chain: 'ETH', testnet: false } });
    const size = vault.secrets.size;
    await expect(migrator().migrate('file', 'memory')).rejects.toMatchObject({
      code: 'WALLET_EXISTS',
      message: expect.stringMatching(/^Writing the memory store failed: .*different wallets/),
    });
    expect(vault.secrets.size).toBe(size);
  });

  it('fails when a copy does not read back identical', async () => {
    await factory('file').add(entries(5));
    tamper = (store) =>
      Object.assign(Object.create(store) as WalletStore, {
        get: async (id: string) => ({ ...(await store.get(id)), chain: 'BTC' }),
      });
    await expect(migrator().migrate('file', 'memory')).rejects.toMatchObject({
      code: 'MIGRATION_NOT_VERIFIED',
    });
  });

  it('names the store whose password is wrong', async () => {
    await factory('file').add(entries(1));
    await new VaultWalletStore(vault, { origin: 'x', password: async () => 'another' }, 'kms-', FAST).add(
      entries(1),
    );
    await expect(migrator().migrate('file', 'memory')).rejects.toMatchObject({
      code: 'WRONG_PASSWORD',
      message: expect.stringMatching(/^Writing the memory store failed: Wrong password/),
    });
  });

  it('refuses the same provider twice and unknown or missing providers', async () => {
    await expect(migrator().migrate('file', 'file')).rejects.toThrow('--from and --to are both file');
    await expect(migrator().migrate('file', undefined)).rejects.toThrow('migrate needs --to <file|memory>');
    await expect(migrator().migrate('s3', 'file')).rejects.toThrow('migrate needs --from');
  });
});
