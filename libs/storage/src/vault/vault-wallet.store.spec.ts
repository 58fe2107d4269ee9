// The module object itself (not an interop copy), so the spies see the codec's calls.
import nodeCrypto = require('node:crypto');
import type { WalletEntry, WalletMap } from '../wallet-entry';
import type { PasswordSource } from '../wallet-store.port';
import { VaultError } from '../storage.errors';
import { InMemoryVault, type InMemoryVaultOptions } from './in-memory.vault';
import { VaultWalletStore } from './vault-wallet.store';

class FixedPassword implements PasswordSource {
  readonly origin = 'test';
  calls = 0;
  constructor(private readonly value: string) {}
  async password(): Promise<string> {
    this.calls++;
    return this.value;
  }
}

const PASSWORD = 'vault-store-password';
const PREFIX = 'kms-';
const FAST = { N: 1024, r: 8, p: 1 };
const MNEMONIC = 'test test test test test test test test test test test junk';
const ETH_MAIN: WalletEntry = { mnemonic: MNEMONIC, xpub: 'xpub-eth', chain: 'ETH', testnet: false };
const ETH_TEST: WalletEntry = { privateKey: '0x' + '22'.repeat(32), chain: 'ETH', testnet: true };
const XRP_MAIN: WalletEntry = {
  secret: 'sEdTM1uX8pu2do5XvTnutH6HsouMaM2',
  address: 'rXYZ',
  chain: 'XRP',
  testnet: false,
};
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function setup(options: InMemoryVaultOptions = {}) {
  const vault = new InMemoryVault(options);
  const open = (password = PASSWORD, prefix = PREFIX) => {
    const source = new FixedPassword(password);
    return { store: new VaultWalletStore(vault, source, prefix, { scryptCost: FAST }), source };
  };
  return { vault, open };
}

const keyEntries = (count: number, chain = 'ETH'): WalletEntry[] =>
  Array.from({ length: count }, (_, i) => ({
    privateKey: '0x' + i.toString(16).padStart(64, '0'),
    chain,
    testnet: false,
  }));

describe('VaultWalletStore', () => {
  afterEach(() => jest.restoreAllMocks());

  it("names its data key's scrypt cost once a read unlocked it (the journal's seal key takes it)", async () => {
    const { open } = setup();
    await open().store.add(keyEntries(1));
    const { store } = open();
    expect(store.keyCost()).toBeUndefined();
    await store.export();
    expect(store.keyCost()).toEqual({ N: FAST.N, r: FAST.r, p: FAST.p });
  });

  it('is lazy: constructing it makes no vault call and asks for no password', () => {
    const { vault, open } = setup();
    const { source } = open();
    expect(vault.calls).toBe(0);
    expect(source.calls).toBe(0);
  });

  it('reads an empty vault as an empty store without asking for the password', async () => {
    const { vault, open } = setup();
    const { store, source } = open();
    await expect(store.get('a4f0c1d2-0000-4000-8000-000000000001')).rejects.toMatchObject({
      code: 'WALLET_NOT_FOUND',
    });
    await expect(store.ids()).resolves.toEqual([]);
    await expect(store.export()).resolves.toEqual({});
    expect(source.calls).toBe(0);
    expect(vault.secrets.size).toBe(0);
  });

  it('is new until its first write creates the data key, and says so without a password', async () => {
    const { open } = setup();
    const { store, source } = open();
    await expect(store.isNew()).resolves.toBe(true);
    expect(source.calls).toBe(0);
    await store.add([ETH_MAIN]);
    await expect(open().store.isNew()).resolves.toBe(false);
  });

  it('round-trips every kind of entry, in separate secrets, and filters by chain and network', async () => {
    const { vault, open } = setup();
    const { store } = open();
    const ids = await store.add([ETH_MAIN, ETH_TEST, XRP_MAIN]);
    expect(ids).toHaveLength(3);
    for (const id of ids) expect(id).toMatch(UUID_V4);
    expect(vault.secrets.size).toBe(4); // three wallets + the data key

    const reader = open().store;
    await expect(reader.get(ids[0])).resolves.toEqual(ETH_MAIN);
    await expect(reader.get(ids[1])).resolves.toEqual(ETH_TEST);
    await expect(reader.get(ids[2])).resolves.toEqual(XRP_MAIN);
    await expect(reader.export()).resolves.toEqual({
      [ids[0]]: ETH_MAIN,
      [ids[1]]: ETH_TEST,
      [ids[2]]: XRP_MAIN,
    });
    expect((await reader.ids({ chain: 'ETH' })).sort()).toEqual([ids[0], ids[1]].sort());
    await expect(reader.ids({ chain: 'ETH', testnet: true })).resolves.toEqual([ids[1]]);
    await expect(reader.ids({ testnet: false })).resolves.toHaveLength(2);
    await expect(reader.list({ chain: 'XRP' })).resolves.toEqual([{ id: ids[2], entry: XRP_MAIN }]);
    await expect(reader.ids({ chain: 'BTC' })).resolves.toEqual([]);
    // several chains: wallets of any of them (the daemon lists a chain with its SDK aliases)
    expect((await reader.ids({ chain: ['XRP', 'ETH'], testnet: false })).sort()).toEqual(
      [ids[0], ids[2]].sort(),
    );
    await expect(reader.ids({ chain: ['BTC', 'USDT'] })).resolves.toEqual([]);
  });

  it('tags each wallet secret for listing and keeps no secret in clear anywhere in the vault', async () => {
    const { vault, open } = setup();
    const [id] = await open().store.add([ETH_TEST]);
    expect(vault.secrets.get(`${PREFIX}${id}`)!.tags).toEqual({
      kind: 'kms-wallet',
      store: PREFIX,
      chain: 'ETH',
      testnet: 'true',
    });
    const record = JSON.parse(vault.secrets.get(`${PREFIX}data-key`)!.value);
    expect(record).toEqual({
      format: 'tatum-kms-vault-key',
      version: 1,
      kdf: { name: 'scrypt', N: 1024, r: 8, p: 1, salt: expect.any(String) },
      wrappedKey: expect.any(String),
    });
    const sealed = JSON.parse(vault.secrets.get(`${PREFIX}${id}`)!.value);
    expect(Object.keys(sealed).sort()).toEqual(['data', 'iv', 'tag', 'v']);
    const everything = JSON.stringify([...vault.secrets]);
    expect(everything).not.toContain('22'.repeat(32));
    expect(everything).not.toContain(PASSWORD);
  });

  it('creates the data key before writing any wallet, and only once', async () => {
    const { vault, open } = setup();
    const { store } = open();
    await store.add([ETH_MAIN]);
    await store.add([ETH_TEST]);
    const writes = vault.log.filter(({ operation }) => operation === 'create' || operation === 'put');
    expect(writes[0]).toEqual({ operation: 'create', name: `${PREFIX}data-key` });
    expect(writes.filter(({ name }) => name.endsWith('data-key'))).toHaveLength(1);
  });

  it('lists ids from tags only: no wallet secret is read or decrypted', async () => {
    const { vault, open } = setup();
    await open().store.add(keyEntries(250));
    const reader = open().store;
    const decipher = jest.spyOn(nodeCrypto, 'createDecipheriv');
    const before = vault.log.length;
    await expect(reader.ids({ chain: 'ETH', testnet: false })).resolves.toHaveLength(250);
    const calls = vault.log.slice(before);
    expect(calls.filter(({ operation }) => operation === 'get')).toEqual([
      { operation: 'get', name: `${PREFIX}data-key` },
    ]);
    expect(calls.filter(({ operation }) => operation === 'list')).toHaveLength(3); // pages of 100
    expect(decipher).toHaveBeenCalledTimes(1); // the data key's unwrap (checks the password), nothing else
  });

  it('asks for the password once and runs scrypt once per instance', async () => {
    const { open } = setup();
    const { store, source } = open();
    const scrypt = jest.spyOn(nodeCrypto, 'scrypt');
    const ids = await store.add([ETH_MAIN, ETH_TEST]);
    await store.get(ids[0]);
    await store.list();
    await store.remove(ids[1]);
    expect(source.calls).toBe(1);
    expect(scrypt).toHaveBeenCalledTimes(1);

    const reader = open();
    scrypt.mockClear();
    await reader.store.get(ids[0]);
    await reader.store.export();
    expect(reader.source.calls).toBe(1);
    expect(scrypt).toHaveBeenCalledTimes(1);
  });

  it('reports a wrong password as WrongPasswordError on reads and writes, and writes nothing', async () => {
    const { vault, open } = setup();
    const [id] = await open().store.add([ETH_MAIN]);
    const size = vault.secrets.size;
    const wrong = open('not-the-password').store;
    for (const call of [
      () => wrong.get(id),
      () => wrong.ids(),
      () => wrong.export(),
      () => wrong.add([ETH_TEST]),
      () => wrong.remove(id),
      () => wrong.import({ 'a4f0c1d2-0000-4000-8000-000000000009': ETH_TEST }),
      () => wrong.changePassword('new-password'),
    ])
      await expect(call()).rejects.toMatchObject({ code: 'WRONG_PASSWORD' });
    expect(vault.secrets.size).toBe(size);
    await expect(open().store.get(id)).resolves.toEqual(ETH_MAIN);
  });

  it('detects a tampered value and names the wallet, never the value', async () => {
    const { vault, open } = setup();
    const [id] = await open().store.add([ETH_MAIN]);
    const secret = vault.secrets.get(`${PREFIX}${id}`)!;
    const sealed = JSON.parse(secret.value);
    const data = Buffer.from(sealed.data, 'base64');
    data[0] ^= 1;
    secret.value = JSON.stringify({ ...sealed, data: data.toString('base64') });
    const error = await open()
      .store.get(id)
      .catch((e: Error) => e);
    expect(error).toMatchObject({ code: 'CORRUPT_STORE' });
    expect((error as Error).message).toContain(id);
    expect((error as Error).message).not.toContain(sealed.data);

    secret.value = 'not json';
    await expect(open().store.get(id)).rejects.toMatchObject({ code: 'CORRUPT_STORE' });
  });

  it('detects values swapped between two names (the name is authenticated)', async () => {
    const { vault, open } = setup();
    const [a, b] = await open().store.add([ETH_MAIN, ETH_TEST]);
    const first = vault.secrets.get(`${PREFIX}${a}`)!;
    const second = vault.secrets.get(`${PREFIX}${b}`)!;
    [first.value, second.value] = [second.value, first.value];
    const store = open().store;
    await expect(store.get(a)).rejects.toMatchObject({ code: 'CORRUPT_STORE' });
    await expect(store.get(b)).rejects.toMatchObject({ code: 'CORRUPT_STORE' });
  });

  it('rolls back a batch when one put fails: nothing half-added remains, and the error says so', async () => {
    let puts = 0;
    const { vault, open } = setup({
      fault: (operation) =>
        operation === 'put' && ++puts === 50 ? new VaultError('memory', 'throttled for too long') : undefined,
    });
    const { store } = open();
    const error = await store.add(keyEntries(200)).catch((e: Error) => e);
    expect(error).toBeInstanceOf(VaultError);
    expect((error as Error).message).toMatch(
      /200 wallet\(s\) could not be stored \(throttled for too long\); nothing was stored$/,
    );
    expect([...vault.secrets.keys()]).toEqual([`${PREFIX}data-key`]);
    expect(vault.names('put').length).toBeLessThan(200); // stopped launching after the failure
    await expect(store.ids()).resolves.toEqual([]);
  });

  it('says so when the rollback itself cannot remove what was written', async () => {
    let puts = 0;
    const { open } = setup({
      fault: (operation) => {
        if (operation === 'put' && ++puts === 5) return new VaultError('memory', 'unreachable');
        if (operation === 'delete') return new VaultError('memory', 'unreachable');
        return undefined;
      },
    });
    await expect(open().store.add(keyEntries(20))).rejects.toThrow(
      /could not be removed \(their ids were never reported\)/,
    );
  });

  it('writes batches through putMany when the vault offers it, all or nothing', async () => {
    let batches = 0;
    const { vault, open } = setup({
      batchPuts: true,
      fault: (operation) =>
        operation === 'putMany' && ++batches === 53
          ? new VaultError('memory', 'HTTP 500 after 5 attempts')
          : undefined,
    });
    const { store } = open();
    const ids = await store.add(keyEntries(1000));
    expect(vault.names('putMany')).toHaveLength(50); // 20 per call
    expect(vault.names('put')).toHaveLength(0);
    await expect(open().store.get(ids[999])).resolves.toEqual(keyEntries(1000)[999]);
    const size = vault.secrets.size;
    await expect(store.add(keyEntries(100))).rejects.toThrow(/nothing was stored$/);
    expect(vault.secrets.size).toBe(size);
  });

  it('keeps at most 16 calls in flight and pages through 1,000 wallets', async () => {
    const { vault, open } = setup();
    const entries = keyEntries(1000);
    const ids = await open().store.add(entries);
    expect(vault.maxInFlight).toBeLessThanOrEqual(16);
    expect(vault.maxInFlight).toBeGreaterThan(1);
    const reader = open().store;
    const exported = await reader.export();
    expect(Object.keys(exported)).toHaveLength(1000);
    ids.forEach((id, i) => expect(exported[id]).toEqual(entries[i]));
    expect(vault.maxInFlight).toBeLessThanOrEqual(16);
  });

  it('removes a wallet; a missing or deleted one is WalletNotFoundError', async () => {
    const { vault, open } = setup();
    const { store } = open();
    const [a, b] = await store.add([ETH_MAIN, ETH_TEST]);
    await store.remove(a);
    await expect(store.get(a)).rejects.toMatchObject({ code: 'WALLET_NOT_FOUND' });
    await expect(store.remove(a)).rejects.toMatchObject({ code: 'WALLET_NOT_FOUND' });
    vault.secrets.delete(`${PREFIX}${b}`); // deleted behind the store's back
    await expect(store.get(b)).rejects.toMatchObject({ code: 'WALLET_NOT_FOUND' });
    await expect(store.get('data-key')).rejects.toMatchObject({ code: 'WALLET_NOT_FOUND' });
    await expect(store.get('../etc/passwd')).rejects.toMatchObject({ code: 'WALLET_NOT_FOUND' });
  });

  it('imports under the given ids, keeps identical entries, refuses different ones before writing', async () => {
    const { vault, open } = setup();
    const { store } = open();
    const map: WalletMap = {
      'a4f0c1d2-0000-4000-8000-000000000001': ETH_MAIN,
      'a4f0c1d2-0000-4000-8000-000000000002': ETH_TEST,
    };
    await store.import(map);
    await expect(open().store.export()).resolves.toEqual(map);

    const puts = vault.names('put').length;
    await store.import({ ...map, 'a4f0c1d2-0000-4000-8000-000000000003': XRP_MAIN });
    expect(vault.names('put').length).toBe(puts + 1); // only the new one

    const size = vault.secrets.size;
    await expect(
      store.import({
        'a4f0c1d2-0000-4000-8000-000000000001': ETH_TEST,
        'a4f0c1d2-0000-4000-8000-000000000004': XRP_MAIN,
      }),
    ).rejects.toMatchObject({ code: 'WALLET_EXISTS' });
    expect(vault.secrets.size).toBe(size);
    await expect(store.import({ 'data-key': ETH_MAIN })).rejects.toMatchObject({ code: 'INVALID_WALLET_ID' });
    await expect(store.import({ 'a/b': ETH_MAIN })).rejects.toMatchObject({ code: 'INVALID_WALLET_ID' });
  });

  it('changes the password by rotating the data key: every wallet re-encrypted under a new generation', async () => {
    const { vault, open } = setup();
    const { store } = open();
    const ids = await store.add(keyEntries(30));
    const oldRecord = vault.secrets.get(`${PREFIX}data-key`)!.value;
    const oldValues = ids.map((id) => vault.secrets.get(`${PREFIX}${id}`)!.value);

    await expect(store.changePassword('the-new-password')).resolves.toEqual({
      wallets: 30,
      unreadable: 0,
      resumed: false,
    });
    const record = JSON.parse(vault.secrets.get(`${PREFIX}data-key`)!.value);
    expect(record).toEqual({
      format: 'tatum-kms-vault-key',
      version: 2,
      generation: 1,
      kdf: { name: 'scrypt', N: 1024, r: 8, p: 1, salt: expect.any(String) },
      wrappedKey: expect.any(String),
      olderKeys: expect.any(String),
    });
    expect(vault.secrets.has(`${PREFIX}data-key-next`)).toBe(false);
    ids.forEach((id, i) => {
      const value = vault.secrets.get(`${PREFIX}${id}`)!.value;
      expect(value).not.toBe(oldValues[i]);
      expect(JSON.parse(value)).toMatchObject({ v: 2, g: 1 });
    });
    await expect(store.get(ids[0])).resolves.toEqual(keyEntries(30)[0]);
    await expect(open('the-new-password').store.export()).resolves.toEqual(
      Object.fromEntries(ids.map((id, i) => [id, keyEntries(30)[i]])),
    );
    await expect(open().store.get(ids[0])).rejects.toMatchObject({ code: 'WRONG_PASSWORD' });

    // A wallet added after the change is sealed under the new key: a copy of the old data key
    // record opens with the old password, and still cannot read it.
    const [added] = await store.add([ETH_TEST]);
    vault.secrets.get(`${PREFIX}data-key`)!.value = oldRecord;
    await expect(open().store.get(added)).rejects.toThrow(
      `Wallet ${added} is damaged: its secret is sealed with data key generation 1, which the data key record does not hold`,
    );
    await expect(store.changePassword('')).rejects.toMatchObject({ code: 'PASSWORD_REQUIRED' });
  });

  it.each([
    ['with atomic create (AWS, VGS)', true],
    ['without atomic create (Azure)', false],
  ])(
    'an interrupted rotation loses no wallet, refuses the old password, and completes when run again, %s',
    async (_, atomicCreate) => {
      let failing = false;
      let puts = 0;
      const { vault, open } = setup({
        atomicCreate,
        fault: (operation, name) =>
          failing && operation === 'put' && name !== `${PREFIX}data-key` && ++puts === 120
            ? new VaultError('memory', 'connection reset')
            : undefined,
      });
      const entries = keyEntries(250);
      const ids = await open().store.add(entries);
      const expected = Object.fromEntries(ids.map((id, i) => [id, entries[i]]));
      failing = true;
      await expect(open().store.changePassword('the-new-password')).rejects.toThrow(
        'memory: connection reset',
      );
      failing = false;

      const generations = ids.map((id) => JSON.parse(vault.secrets.get(`${PREFIX}${id}`)!.value).g ?? 0);
      expect(generations.filter((g) => g === 1).length).toBeGreaterThan(0); // interrupted mid-way
      expect(generations.filter((g) => g === 0).length).toBeGreaterThan(0);
      expect(JSON.parse(vault.secrets.get(`${PREFIX}data-key`)!.value)).toMatchObject({ rotating: true });
      await expect(open().store.get(ids[0])).rejects.toMatchObject({ code: 'PASSWORD_CHANGE_PENDING' });
      await expect(open('a-third-password').store.get(ids[0])).rejects.toMatchObject({
        code: 'WRONG_PASSWORD',
      });
      // Another new password cannot take over the pending change.
      await expect(open().store.changePassword('another-password')).rejects.toMatchObject({
        code: 'PASSWORD_CHANGE_PENDING',
        message: expect.stringMatching(
          /^A password change of this wallet store is in progress or was interrupted: use the new password/,
        ),
      });

      // The same change again (current: the old password) finishes it.
      await expect(open().store.changePassword('the-new-password')).resolves.toEqual({
        wallets: 250,
        unreadable: 0,
        resumed: true,
      });
      expect(vault.secrets.has(`${PREFIX}data-key-next`)).toBe(false);
      expect(JSON.parse(vault.secrets.get(`${PREFIX}data-key`)!.value)).toMatchObject({ generation: 1 });
      for (const id of ids) expect(JSON.parse(vault.secrets.get(`${PREFIX}${id}`)!.value).g).toBe(1);
      await expect(open('the-new-password').store.export()).resolves.toEqual(expected);
      await expect(open().store.get(ids[0])).rejects.toMatchObject({ code: 'WRONG_PASSWORD' });
    },
  );

  it('the next unlock with the new password finishes an interrupted rotation', async () => {
    let failing = false;
    const { vault, open } = setup({
      fault: (operation, name) =>
        failing && operation === 'put' && name !== `${PREFIX}data-key`
          ? new VaultError('memory', 'unreachable')
          : undefined,
    });
    const ids = await open().store.add(keyEntries(10));
    failing = true;
    await expect(open().store.changePassword('the-new-password')).rejects.toThrow('unreachable');
    failing = false;
    expect(vault.secrets.has(`${PREFIX}data-key-next`)).toBe(true);

    const reader = open('the-new-password').store;
    await expect(reader.get(ids[3])).resolves.toEqual(keyEntries(10)[3]);
    expect(vault.secrets.has(`${PREFIX}data-key-next`)).toBe(false);
    for (const id of ids) expect(JSON.parse(vault.secrets.get(`${PREFIX}${id}`)!.value).g).toBe(1);
    // ...and a further change from there starts generation 2, every older key still reachable.
    await expect(reader.changePassword('password-three')).resolves.toEqual({
      wallets: 10,
      unreadable: 0,
      resumed: false,
    });
    await expect(open('password-three').store.get(ids[9])).resolves.toEqual(keyEntries(10)[9]);
    expect(JSON.parse(vault.secrets.get(`${PREFIX}data-key`)!.value)).toMatchObject({ generation: 2 });
  });

  it('resumes a change interrupted before the data key record was flagged', async () => {
    let failures = 1;
    const { vault, open } = setup({
      fault: (operation, name) =>
        operation === 'put' && name === `${PREFIX}data-key` && failures-- > 0
          ? new VaultError('memory', 'throttled')
          : undefined,
    });
    const ids = await open().store.add(keyEntries(3));
    await expect(open().store.changePassword('the-new-password')).rejects.toThrow('throttled');
    expect(vault.secrets.has(`${PREFIX}data-key-next`)).toBe(true);
    // Nothing is re-encrypted yet: the old password still reads everything...
    await expect(open().store.get(ids[0])).resolves.toEqual(keyEntries(3)[0]);
    // ...another new password is refused, the same one resumes the change.
    await expect(open().store.changePassword('another-password')).rejects.toMatchObject({
      code: 'PASSWORD_CHANGE_PENDING',
      message: expect.stringMatching(
        /^Another password change .* delete kms-data-key-next \(no wallet is encrypted under it yet\)/,
      ),
    });
    await expect(open().store.changePassword('the-new-password')).resolves.toEqual({
      wallets: 3,
      unreadable: 0,
      resumed: true,
    });
    await expect(open('the-new-password').store.get(ids[2])).resolves.toEqual(keyEntries(3)[2]);
  });

  it('a leftover next record of a finished change is removed by the next change', async () => {
    const { vault, open } = setup();
    const ids = await open().store.add(keyEntries(2));
    await open().store.changePassword('password-two');
    // a crash between the switch and the delete would leave this behind
    vault.secrets.set(`${PREFIX}data-key-next`, {
      value: vault.secrets.get(`${PREFIX}data-key`)!.value,
      tags: { kind: 'kms-data-key' },
    });
    await expect(open('password-two').store.get(ids[0])).resolves.toEqual(keyEntries(2)[0]);
    await expect(open('password-two').store.changePassword('password-three')).resolves.toMatchObject({
      wallets: 2,
    });
    await expect(open('password-three').store.get(ids[1])).resolves.toEqual(keyEntries(2)[1]);
    expect(vault.secrets.has(`${PREFIX}data-key-next`)).toBe(false);
  });

  it('a damaged wallet secret does not block the change: it is left as it was and counted', async () => {
    const { vault, open } = setup();
    const [good, damaged] = await open().store.add([ETH_MAIN, ETH_TEST]);
    const secret = vault.secrets.get(`${PREFIX}${damaged}`)!;
    secret.value = JSON.stringify({ ...JSON.parse(secret.value), tag: Buffer.alloc(16).toString('base64') });
    const before = secret.value;
    await expect(open().store.changePassword('the-new-password')).resolves.toEqual({
      wallets: 1,
      unreadable: 1,
      resumed: false,
    });
    expect(vault.secrets.get(`${PREFIX}${damaged}`)!.value).toBe(before);
    await expect(open('the-new-password').store.get(good)).resolves.toEqual(ETH_MAIN);
    await expect(open('the-new-password').store.get(damaged)).rejects.toMatchObject({
      code: 'CORRUPT_STORE',
    });
  });

  it('rotates through putMany on a vault that offers it', async () => {
    const { vault, open } = setup({ batchPuts: true });
    const ids = await open().store.add(keyEntries(250));
    const before = vault.names('putMany').length;
    await open().store.changePassword('the-new-password');
    expect(vault.names('putMany').length - before).toBeLessThanOrEqual(15); // chunks of 100, 20 per call
    expect(vault.names('put').filter((name) => !name.includes('data-key'))).toEqual([]);
    await expect(open('the-new-password').store.get(ids[249])).resolves.toEqual(keyEntries(250)[249]);
  });

  it('a process that unlocked before a change unlocks again when it meets the new generation', async () => {
    const { open } = setup();
    const before = open().store;
    const [id] = await before.add([ETH_MAIN]);
    await before.get(id);
    await open().store.changePassword('the-new-password');
    await expect(before.get(id)).rejects.toMatchObject({ code: 'WRONG_PASSWORD' });
  });

  it('two changes at once on a vault with atomic create: one wins, nothing is lost', async () => {
    for (let round = 0; round < 30; round++) {
      const { open } = setup();
      const entries = keyEntries(20);
      const ids = await open().store.add(entries);
      const results = await Promise.allSettled([
        open().store.changePassword('password-a'),
        open().store.changePassword('password-b'),
      ]);
      for (const result of results)
        if (result.status === 'rejected')
          expect(result.reason).toMatchObject({
            code: expect.stringMatching(/^PASSWORD_CHANGE_(PENDING|CONFLICT)$/),
          });
      // Exactly one holds the store; every wallet opens with its password.
      const won = results.filter((result) => result.status === 'fulfilled');
      expect(won).toHaveLength(1);
      const exported = await open(results[0] === won[0] ? 'password-a' : 'password-b').store.export();
      expect(exported).toEqual(Object.fromEntries(ids.map((id, i) => [id, entries[i]])));
    }
  });

  it('refuses to create a new data key while wallet secrets exist without one', async () => {
    const { vault, open } = setup();
    const [id] = await open().store.add([ETH_MAIN]);
    vault.secrets.delete(`${PREFIX}data-key`);
    const store = open().store;
    await expect(store.add([ETH_TEST])).rejects.toMatchObject({ code: 'CORRUPT_STORE' });
    await expect(store.get(id)).rejects.toThrow(/data key secret kms-data-key is damaged: it is missing/);
    expect(vault.secrets.size).toBe(1);
  });

  it('two instances making the first write at once share one data key (atomic create)', async () => {
    const { open } = setup();
    const [a, b] = await Promise.all([open().store.add([ETH_MAIN]), open().store.add([ETH_TEST])]);
    const reader = open().store;
    await expect(reader.get(a[0])).resolves.toEqual(ETH_MAIN);
    await expect(reader.get(b[0])).resolves.toEqual(ETH_TEST);
  });

  it('creates the data key with put and read back on a vault without atomic create', async () => {
    const { vault, open } = setup({ atomicCreate: false });
    const [id] = await open().store.add([ETH_MAIN]);
    expect(vault.log.slice(0, 4).map(({ operation }) => operation)).toEqual(['get', 'list', 'put', 'get']);
    await expect(open().store.get(id)).resolves.toEqual(ETH_MAIN);
  });

  it('keeps stores with overlapping prefixes apart', async () => {
    const { open } = setup();
    const [outer] = await open(PASSWORD, 'kms-').store.add([ETH_MAIN]);
    const [inner] = await open('other-password', 'kms-test-').store.add([ETH_MAIN]);
    await expect(open(PASSWORD, 'kms-').store.ids()).resolves.toEqual([outer]);
    await expect(open('other-password', 'kms-test-').store.ids()).resolves.toEqual([inner]);
  });

  it('passes vault failures through as VaultError and describes the vault', async () => {
    const { open } = setup({ fault: () => new VaultError('memory', 'cannot reach the vault') });
    const { store } = open();
    await expect(store.get('a4f0c1d2-0000-4000-8000-000000000001')).rejects.toThrow(
      'memory: cannot reach the vault',
    );
    expect(store.describe()).toEqual({ type: 'memory', location: 'in-memory vault' });
    await expect(store.refreshIfChanged()).resolves.toBe(false);
  });
});

describe('VaultWalletStore listing cache (listTtlMs)', () => {
  it('reuses a listing within the TTL, and a write through the store refreshes it', async () => {
    const vault = new InMemoryVault();
    const store = new VaultWalletStore(vault, new FixedPassword(PASSWORD), PREFIX, {
      scryptCost: FAST,
      listTtlMs: 60_000,
    });
    const [first] = await store.add([ETH_MAIN]);
    expect(await store.ids({ chain: 'ETH', testnet: false })).toEqual([first]);
    const calls = vault.calls;
    expect(await store.ids({ chain: 'ETH', testnet: false })).toEqual([first]);
    expect(vault.calls).toBe(calls);

    // another process adds a wallet: not seen until the TTL ends...
    const other = new VaultWalletStore(vault, new FixedPassword(PASSWORD), PREFIX, { scryptCost: FAST });
    const [second] = await other.add([ETH_MAIN]);
    expect(await store.ids({ chain: 'ETH', testnet: false })).toEqual([first]);
    // ...while a write through this store clears the cache at once
    const [third] = await store.add([ETH_MAIN]);
    expect((await store.ids({ chain: 'ETH', testnet: false })).sort()).toEqual([first, second, third].sort());
  });

  it('lists live by default', async () => {
    const vault = new InMemoryVault();
    const store = new VaultWalletStore(vault, new FixedPassword(PASSWORD), PREFIX, { scryptCost: FAST });
    await store.add([ETH_MAIN]);
    await store.ids();
    const calls = vault.calls;
    await store.ids();
    expect(vault.calls).toBeGreaterThan(calls);
  });
});
