import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closedPortUrl, FakeVgs } from '@kms/test-support/fake-vgs';
import { VaultWalletStore } from '../vault/vault-wallet.store';
import { VgsPasswordSource } from './vgs-password.source';
import { VgsVault } from './vgs.vault';

const USERNAME = 'US7aVgsUser';
const SECRET = 'vgs-access-secret-0123';
const FAST_RETRIES = { baseDelayMs: 1, maxDelayMs: 20 };
const TAGS = { kind: 'kms-wallet', chain: 'ETH', testnet: 'false' };

describe('VgsVault', () => {
  let fake: FakeVgs;
  let dir: string;
  let indexPath: string;
  const settings = (extra: Record<string, string | undefined> = {}) => ({
    vgsUrl: fake.url,
    vgsUsername: USERNAME,
    vgsPassword: SECRET,
    vgsIndexPath: indexPath,
    ...extra,
  });
  const vault = (extra: Record<string, string | undefined> = {}) =>
    new VgsVault(settings(extra), FAST_RETRIES);

  beforeAll(async () => {
    fake = await FakeVgs.start({ username: USERNAME, password: SECRET });
  });
  afterAll(() => fake.close());
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kms-vgs-'));
    indexPath = join(dir, 'tatumrc', 'vgs-index.dat');
    fake.clearFaults();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('puts, gets, lists (from the index, no API call) and deletes named secrets', async () => {
    const v = vault();
    await v.put('kms-a', 'value-a', TAGS);
    await v.put('kms-b', 'value-b', { ...TAGS, chain: 'BTC' });
    await v.put('other-c', 'value-c', TAGS);
    await expect(v.get('kms-a')).resolves.toBe('value-a');
    await expect(v.get('kms-missing')).resolves.toBeUndefined();
    const calls = v.calls;
    const listed: string[] = [];
    for await (const { name } of v.list('kms-', { chain: 'ETH' })) listed.push(name);
    expect(listed).toEqual(['kms-a']);
    expect(v.calls).toBe(calls);
    await v.delete('kms-a');
    await v.delete('kms-a');
    await expect(v.get('kms-a')).resolves.toBeUndefined();
    await expect(vault().get('kms-b')).resolves.toBe('value-b'); // another instance (process) sees it
  });

  it('keeps the index 0600 in a 0700 folder, with aliases and tags but no value', async () => {
    await vault().put('kms-a', 'the-sealed-value', TAGS);
    expect(statSync(indexPath).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'tatumrc')).mode & 0o777).toBe(0o700);
    const text = readFileSync(indexPath, 'utf8');
    expect(JSON.parse(text)).toEqual({
      format: 'tatum-kms-vgs-index',
      version: 1,
      entries: { 'kms-a': { alias: expect.stringMatching(/^tok_/), tags: TAGS } },
    });
    expect(text).not.toContain('the-sealed-value');
    expect(text).not.toContain(SECRET);
  });

  it('stores a batch 20 values per request with one index write, or nothing at all', async () => {
    const v = vault();
    const secrets = Array.from({ length: 45 }, (_, i) => ({
      name: `kms-${i}`,
      value: `value-${i}`,
      tags: TAGS,
    }));
    const before = fake.byMethod.POST ?? 0;
    await v.putMany(secrets);
    expect((fake.byMethod.POST ?? 0) - before).toBe(3);
    await expect(vault().get('kms-44')).resolves.toBe('value-44');

    const aliases = fake.aliases.size;
    const index = readFileSync(indexPath);
    fake.failNext({ status: 400, method: 'POST' }, 1);
    const more = secrets.map((s) => ({ ...s, name: `${s.name}-b` }));
    await expect(v.putMany(more)).rejects.toMatchObject({ code: 'VAULT_ERROR' });
    expect(fake.aliases.size).toBe(aliases);
    expect(readFileSync(indexPath).equals(index)).toBe(true);
  });

  it('replaces a value with a new alias and deletes the old alias', async () => {
    const v = vault();
    await v.put('kms-a', 'one', TAGS);
    const before = fake.aliases.size;
    await v.put('kms-a', 'two', TAGS);
    expect(fake.aliases.size).toBe(before);
    await expect(v.get('kms-a')).resolves.toBe('two');
  });

  it('creates only if absent, leaving no orphan alias when it was not', async () => {
    const v = vault();
    await expect(v.createIfAbsent('kms-key', 'first', {})).resolves.toBe(true);
    const before = fake.aliases.size;
    await expect(vault().createIfAbsent('kms-key', 'second', {})).resolves.toBe(false);
    expect(fake.aliases.size).toBe(before);
    await expect(v.get('kms-key')).resolves.toBe('first');
    // an index entry whose alias VGS lost counts as absent
    const alias = JSON.parse(readFileSync(indexPath, 'utf8')).entries['kms-key'].alias;
    fake.aliases.delete(alias);
    await expect(v.createIfAbsent('kms-key', 'third', {})).resolves.toBe(true);
    await expect(v.get('kms-key')).resolves.toBe('third');
  });

  it('reads an alias deleted in VGS as a missing secret', async () => {
    const v = vault();
    await v.put('kms-a', 'value', TAGS);
    fake.aliases.clear();
    await expect(v.get('kms-a')).resolves.toBeUndefined();
  });

  it('loses no index entry when many puts from two instances (processes) interleave', async () => {
    const [one, two] = [vault(), vault()];
    await Promise.all(
      Array.from({ length: 100 }, (_, i) => (i % 2 ? one : two).put(`kms-${i}`, `value-${i}`, TAGS)),
    );
    const names: string[] = [];
    for await (const { name } of vault().list('kms-')) names.push(name);
    expect(names).toHaveLength(100);
  });

  it('retries 429 (Retry-After) and 5xx, then succeeds', async () => {
    const v = vault();
    fake.failNext({ status: 429, retryAfter: '0' }, 2);
    fake.failNext({ status: 503 }, 1);
    await v.put('kms-a', 'value', TAGS);
    await expect(v.get('kms-a')).resolves.toBe('value');
    expect(v.calls).toBe(5);
  });

  it('gives up after bounded retries with a clear VaultError', async () => {
    fake.failNext({ status: 500 }, 100);
    await expect(vault().put('kms-a', 'value', TAGS)).rejects.toThrow(
      'vgs: POST /aliases failed with HTTP 500 after 5 attempts',
    );
    fake.clearFaults();
    fake.failNext({ status: 400 }, 1);
    await expect(vault().put('kms-a', 'value', TAGS)).rejects.toThrow(
      'vgs: POST /aliases failed with HTTP 400',
    );
    await expect(vault().get('kms-a')).resolves.toBeUndefined();
  });

  it('reports refused credentials, an unreachable vault and missing settings without any credential', async () => {
    const closed = await closedPortUrl();
    const errors: Error[] = await Promise.all([
      vault({ vgsPassword: 'wrong-secret' })
        .put('kms-a', 'v', TAGS)
        .then(
          () => new Error('no error'),
          (e: Error) => e,
        ),
      new VgsVault(settings({ vgsUrl: closed }), FAST_RETRIES).put('kms-a', 'v', TAGS).then(
        () => new Error('no error'),
        (e: Error) => e,
      ),
      vault({ vgsUsername: undefined })
        .put('kms-a', 'v', TAGS)
        .then(
          () => new Error('no error'),
          (e: Error) => e,
        ),
    ]);
    expect(errors.map((e) => (e as { code?: string }).code)).toEqual([
      'VAULT_ERROR',
      'VAULT_ERROR',
      'VAULT_ERROR',
    ]);
    expect(errors[0].message).toMatch(/refused the credentials \(HTTP 401\)/);
    expect(errors[1].message).toBe(`vgs: cannot reach ${closed} (ECONNREFUSED)`);
    expect(errors[2].message).toMatch(/TATUM_KMS_VGS_USERNAME and TATUM_KMS_VGS_PASSWORD must both be set/);
    for (const error of errors) {
      expect(error.message).not.toContain(SECRET);
      expect(error.message).not.toContain('wrong-secret');
      expect(error.message).not.toContain(USERNAME);
    }
    expect(() => vault({ vgsUrl: `http://user:${SECRET}@127.0.0.1:1` })).toThrow(
      /must not contain credentials/,
    );
  });

  it('reports a damaged index as CORRUPT_STORE', async () => {
    await vault().put('kms-a', 'value', TAGS);
    writeFileSync(indexPath, '{"format":"something-else"}');
    await expect(vault().get('kms-a')).rejects.toMatchObject({ code: 'CORRUPT_STORE' });
  });

  it('carries a vault wallet store end to end', async () => {
    const password = { origin: 'test', password: async () => 'store-password' };
    const store = new VaultWalletStore(vault(), password, 'kms-', { scryptCost: { N: 1024, r: 8, p: 1 } });
    const entries = Array.from({ length: 40 }, (_, i) => ({
      privateKey: `0x${i}`,
      chain: 'ETH',
      testnet: false,
    }));
    const ids = await store.add(entries);
    const reader = new VaultWalletStore(vault(), password, 'kms-');
    await expect(reader.ids({ chain: 'ETH' })).resolves.toHaveLength(40);
    await expect(reader.get(ids[7])).resolves.toEqual(entries[7]);
    const values = [...fake.aliases.values()].map(({ value }) => value).join('\n');
    expect(values).not.toContain('0x7');
  });
});

describe('VgsPasswordSource', () => {
  let fake: FakeVgs;
  beforeAll(async () => {
    fake = await FakeVgs.start({ username: USERNAME, password: SECRET });
  });
  afterAll(() => fake.close());
  const source = (alias?: string, extra: Record<string, string> = {}) =>
    new VgsPasswordSource(
      { vgsUrl: fake.url, vgsUsername: USERNAME, vgsPassword: SECRET, vgsAlias: alias, ...extra },
      FAST_RETRIES,
    );

  it('returns the value behind the alias, fetched once', async () => {
    const alias = fake.seed('the-store-password');
    const s = source(alias);
    const before = fake.requests;
    await expect(s.password()).resolves.toBe('the-store-password');
    await expect(s.password()).resolves.toBe('the-store-password');
    expect(fake.requests - before).toBe(1);
    expect(s.origin).not.toContain(alias);
  });

  it('fails clearly on a missing alias, an empty value or missing settings', async () => {
    await expect(source('tok_sandbox_unknown').password()).rejects.toMatchObject({
      code: 'PASSWORD_REQUIRED',
      message: expect.stringMatching(/does not exist/),
    });
    await expect(source(fake.seed('')).password()).rejects.toMatchObject({
      code: 'PASSWORD_REQUIRED',
      message: expect.stringMatching(/is empty/),
    });
    await expect(source(undefined).password()).rejects.toMatchObject({ code: 'PASSWORD_REQUIRED' });
  });

  it('reports refused credentials as VAULT_ERROR and asks again after a failure', async () => {
    const alias = fake.seed('pw');
    const error = await source(alias, { vgsPassword: 'nope' })
      .password()
      .catch((e: Error) => e);
    expect(error).toMatchObject({ code: 'VAULT_ERROR' });
    expect((error as Error).message).not.toContain(alias);
    const s = source(alias);
    fake.failNext({ status: 500 }, 5);
    await expect(s.password()).rejects.toMatchObject({ code: 'VAULT_ERROR' });
    await expect(s.password()).resolves.toBe('pw');
  });
});
