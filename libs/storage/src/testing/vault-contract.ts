import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { WalletEntry } from '../wallet-entry';
import type { PasswordSource } from '../wallet-store.port';
import { VaultWalletStore } from '../vault/vault-wallet.store';
import { WALLET_TAGS, type SecretVault } from '../vault/secret-vault.port';

/** A running backend for the contract: `open()` gives a fresh client (as another process would have). */
export interface VaultUnderTest {
  open(): SecretVault;
  /** Stops the backend (a local fake) when the suite ends. */
  stop?(): Promise<void> | void;
}

/** Starts the backend of one vault for the contract suite, e.g. a local protocol fake. */
export type VaultFactory = () => Promise<VaultUnderTest> | VaultUnderTest;

export interface VaultContractOptions {
  /** Per-test timeout in ms (default 60,000: the cloud fakes speak HTTPS and retry). */
  timeoutMs?: number;
}

/** Low scrypt cost: the contract tests the vault, not the key derivation. */
const FAST = { scryptCost: { N: 1024, r: 8, p: 1 } } as const;
const TAGS = { ...WALLET_TAGS, chain: 'ETH', testnet: 'false' };

const collect = async <T>(items: AsyncIterable<T>): Promise<T[]> => {
  const result: T[] = [];
  for await (const item of items) result.push(item);
  return result;
};

const password = (value: string): PasswordSource => ({ origin: 'contract', password: async () => value });

/**
 * The contract every SecretVault keeps, and that the vault wallet store relies on, run against the
 * backend `start` gives (`describe` block `vault contract: <name>`). A new vault's spec is one line:
 *
 *   vaultContract('hsm', async () => { const fake = await FakeHsm.start(); return { open: () => new HsmVault(...), stop: () => fake.stop() }; });
 *
 * Each test writes under its own name prefix, so the backend may be shared and keep what earlier
 * tests wrote.
 */
export function vaultContract(name: string, start: VaultFactory, options: VaultContractOptions = {}): void {
  describe(`vault contract: ${name}`, () => {
    const timeout = options.timeoutMs ?? 60_000;
    let backend: VaultUnderTest;
    let tests = 0;
    /** A prefix of this test's own: `c<n>-<random>-`. */
    const prefix = () => `c${++tests}-${Math.random().toString(36).slice(2, 8)}-`;

    beforeAll(async () => {
      backend = await start();
    }, timeout);
    afterAll(async () => {
      await backend?.stop?.();
    }, timeout);

    it(
      'reads a missing secret as undefined; puts, overwrites and reads a value from another client',
      async () => {
        const vault = backend.open();
        const p = prefix();
        await expect(vault.get(`${p}missing`)).resolves.toBeUndefined();
        await vault.put(`${p}a`, 'first value', TAGS);
        await expect(vault.get(`${p}a`)).resolves.toBe('first value');
        await vault.put(`${p}a`, 'second value', TAGS);
        await expect(backend.open().get(`${p}a`)).resolves.toBe('second value');
      },
      timeout,
    );

    it(
      'keeps values exactly: long, multi-line and non-ASCII text',
      async () => {
        const vault = backend.open();
        const p = prefix();
        const value = `{"sealed":"${'x'.repeat(4000)}"}\nline two\tänd ✓`;
        await vault.put(`${p}long`, value, TAGS);
        await expect(backend.open().get(`${p}long`)).resolves.toBe(value);
      },
      timeout,
    );

    it(
      'lists names and tags by prefix and by every tag pair, without values',
      async () => {
        const vault = backend.open();
        const p = prefix();
        await vault.put(`${p}eth`, 'v1', TAGS);
        await vault.put(`${p}btc`, 'v2', { ...TAGS, chain: 'BTC' });
        await vault.put(`${p}eth-test`, 'v3', { ...TAGS, testnet: 'true' });
        await vault.put(`other-${p}eth`, 'v4', TAGS);
        const all = await collect(backend.open().list(p));
        expect(all.map((entry) => entry.name).sort()).toEqual([`${p}btc`, `${p}eth`, `${p}eth-test`]);
        expect(all.find((entry) => entry.name === `${p}btc`)?.tags).toMatchObject({ ...TAGS, chain: 'BTC' });
        expect(JSON.stringify(all)).not.toMatch(/"v[1-4]"/);
        const eth = await collect(vault.list(p, { chain: 'ETH', testnet: 'false' }));
        expect(eth.map((entry) => entry.name)).toEqual([`${p}eth`]);
      },
      timeout,
    );

    it(
      'keeps names with the characters a secret prefix may hold (/_+=.@-)',
      async () => {
        const vault = backend.open();
        const p = `${prefix()}team/a_b+c=d.e@f-`;
        await vault.put(`${p}x`, 'odd name', TAGS);
        await expect(backend.open().get(`${p}x`)).resolves.toBe('odd name');
        expect((await collect(vault.list(p))).map((entry) => entry.name)).toEqual([`${p}x`]);
      },
      timeout,
    );

    it(
      'deletes a secret: it is neither read nor listed; deleting a missing secret is no error',
      async () => {
        const vault = backend.open();
        const p = prefix();
        await vault.put(`${p}gone`, 'v', TAGS);
        await vault.delete(`${p}gone`);
        await vault.delete(`${p}gone`);
        await vault.delete(`${p}never`);
        await expect(backend.open().get(`${p}gone`)).resolves.toBeUndefined();
        await expect(collect(vault.list(p))).resolves.toEqual([]);
        await vault.put(`${p}gone`, 'again', TAGS);
        await expect(vault.get(`${p}gone`)).resolves.toBe('again');
      },
      timeout,
    );

    it(
      'createIfAbsent, where offered, creates once and never overwrites',
      async () => {
        const vault = backend.open();
        if (!vault.createIfAbsent) return;
        const p = prefix();
        const racers = [backend.open(), backend.open(), vault];
        const created = await Promise.all(
          racers.map((each, i) => each.createIfAbsent!(`${p}key`, `value ${i}`, TAGS)),
        );
        expect(created.filter(Boolean)).toHaveLength(1);
        const winner = created.indexOf(true);
        await expect(vault.createIfAbsent(`${p}key`, 'later', TAGS)).resolves.toBe(false);
        await expect(backend.open().get(`${p}key`)).resolves.toBe(`value ${winner}`);
      },
      timeout,
    );

    it(
      'putMany, where offered, stores every secret of a batch larger than one request',
      async () => {
        const vault = backend.open();
        if (!vault.putMany) return;
        const p = prefix();
        const batch = Array.from({ length: 45 }, (_, i) => ({
          name: `${p}${i}`,
          value: `v${i}`,
          tags: TAGS,
        }));
        await vault.putMany(batch);
        const reader = backend.open();
        for (const { name, value } of batch) await expect(reader.get(name)).resolves.toBe(value);
        await expect(collect(reader.list(p))).resolves.toHaveLength(45);
      },
      timeout,
    );

    it(
      'lists past one page of the service',
      async () => {
        const vault = backend.open();
        const p = prefix();
        const names = Array.from({ length: 130 }, (_, i) => `${p}${String(i).padStart(3, '0')}`);
        for (let i = 0; i < names.length; i += 10)
          await Promise.all(names.slice(i, i + 10).map((each) => vault.put(each, 'v', TAGS)));
        const listed = await collect(backend.open().list(p));
        expect(listed.map((entry) => entry.name).sort()).toEqual(names);
      },
      timeout * 2,
    );

    it(
      'describes itself without a credential, and counts its calls',
      async () => {
        const vault = backend.open();
        const before = vault.calls;
        await vault.put(`${prefix()}x`, 'v', TAGS); // a read may be answered locally (VGS's index)
        expect(vault.calls).toBeGreaterThan(before);
        const { type, location } = vault.describe();
        expect(type).toMatch(/^[a-z][a-z0-9-]*$/);
        expect(location.length).toBeGreaterThan(0);
        expect(location).not.toMatch(/:[^/@]*@/); // no user:password@ in a URL
      },
      timeout,
    );

    it(
      'carries the vault wallet store: add, list, get, remove, change the password, read with the new one',
      async () => {
        const p = prefix();
        const store = new VaultWalletStore(backend.open(), password('old password'), p, FAST);
        const entries: WalletEntry[] = [
          { privateKey: `0x${'1'.repeat(64)}`, chain: 'ETH', testnet: false },
          {
            mnemonic: 'test test test test test test test test test test test junk',
            chain: 'BTC',
            testnet: true,
          },
          { privateKey: `0x${'2'.repeat(64)}`, chain: 'ETH', testnet: false },
        ];
        const ids = await store.add(entries);
        const other = () => new VaultWalletStore(backend.open(), password('old password'), p, FAST);
        await expect(other().ids({ chain: 'ETH', testnet: false })).resolves.toEqual(
          expect.arrayContaining([ids[0], ids[2]]),
        );
        await expect(other().get(ids[1])).resolves.toEqual(entries[1]);
        await other().remove(ids[2]);
        await expect(other().changePassword('new password')).resolves.toMatchObject({
          wallets: 2,
          unreadable: 0,
        });
        const renewed = new VaultWalletStore(backend.open(), password('new password'), p, FAST);
        await expect(renewed.export()).resolves.toEqual({ [ids[0]]: entries[0], [ids[1]]: entries[1] });
        await expect(other().get(ids[0])).rejects.toMatchObject({ code: 'WRONG_PASSWORD' });
      },
      timeout * 2,
    );
  });
}
