import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { closedPortUrl, FakeVgs } from './support/fake-vgs';
import { json, tempDir, type KmsRun } from './support/kms-cli';
import { runKmsInProcess } from './support/kms-in-process';
import { withTestScryptCost, writeTestWalletFile } from './support/wallet-files';

/**
 * The vgs storage provider and the --vgs password source, through the CLI (in-process: the executable's own entry point) against a fake of
 * the VGS aliases API: every wallet command unchanged, a batch of 1,000, migrate file -> vgs -> file,
 * and the faults (unreachable vault, refused credentials, missing and deleted aliases, throttling).
 */
const VGS_USER = 'USvgsE2eUser';
const VGS_SECRET = 'vgs-e2e-access-secret-9f3c';
const STORE_PASSWORD = 'vgs-e2e-store-password';
const MNEMONIC = 'test test test test test test test test test test test junk';
const HARDHAT_KEY = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';
const HARDHAT_ADDRESS = '0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266';
const CREDENTIALS = [VGS_USER, VGS_SECRET, STORE_PASSWORD];

describe('vgs storage provider (CLI against a fake VGS vault)', () => {
  const { dir, cleanup } = tempDir('kms-vgs-e2e-');
  let fake: FakeVgs;
  const vgsEnv = (index: string, extra: Record<string, string | undefined> = {}) => ({
    HOME: dir,
    TATUM_KMS_STORAGE: 'vgs',
    TATUM_KMS_VGS_URL: fake.url,
    TATUM_KMS_VGS_USERNAME: VGS_USER,
    TATUM_KMS_VGS_PASSWORD: VGS_SECRET,
    TATUM_KMS_VGS_INDEX: join(dir, index),
    TATUM_KMS_PASSWORD: STORE_PASSWORD,
    ...extra,
  });
  const fileEnv = { HOME: dir, TATUM_KMS_PASSWORD: STORE_PASSWORD };
  const kms = (args: string[], env: Record<string, string | undefined>, input?: string) =>
    runKmsInProcess(args, { env, input, timeoutMs: 120_000 });

  /** A failed run: non-zero exit, one `{"error"}` line, and no credential anywhere in the output. */
  const failure = (run: KmsRun, pattern: RegExp): string => {
    expect(run.code).not.toBe(0);
    const { error } = JSON.parse(run.stderr.trim().split('\n').pop()!) as { error: string };
    expect(error).toMatch(pattern);
    for (const secret of CREDENTIALS) expect(run.stdout + run.stderr).not.toContain(secret);
    return error;
  };

  beforeAll(async () => {
    fake = await FakeVgs.start({ username: VGS_USER, password: VGS_SECRET });
  });
  afterAll(async () => {
    await fake.close();
    cleanup();
  });
  // Once a test has made a store's data key record (the first write, checked as the product does it),
  // its alias is re-pointed at the same key wrapped under the cheap test KDF: later commands skip the
  // ~0.3 s scrypt (wallet-files.ts).
  afterEach(async () => {
    for (const [alias, entry] of fake.aliases) {
      // (a record a test damaged on purpose stays as it is)
      const cheap = await withTestScryptCost(entry.value, STORE_PASSWORD).catch(() => undefined);
      if (cheap) fake.aliases.set(alias, { ...entry, value: cheap });
    }
  });

  describe('the wallet commands, unchanged', () => {
    const env = () => vgsEnv('cli-index.dat');
    let btc: string;
    let eth: string;
    let key: string;

    it('generatemanagedwallet, getmanagedwallet, getaddress, getprivatekey', async () => {
      const generated = json<{ signatureId: string; xpub: string }>(
        await kms(['generatemanagedwallet', 'BTC'], env()),
      );
      btc = generated.signatureId;
      expect(generated.xpub).toMatch(/^xpub/);
      const entry = json<{ mnemonic: string; xpub: string; chain: string; testnet: boolean }>(
        await kms(['getmanagedwallet', btc], env()),
      );
      expect(entry).toMatchObject({ xpub: generated.xpub, chain: 'BTC', testnet: false });
      expect(entry.mnemonic.split(' ')).toHaveLength(24);
      expect(json(await kms(['getaddress', btc, '0'], env())).address).toMatch(/^bc1/);
      expect(json(await kms(['getprivatekey', btc, '0'], env())).privateKey).toMatch(/^[KL5]/);
      // VGS holds only ciphertext
      const values = [...fake.aliases.values()].map(({ value }) => value).join('\n');
      expect(values).not.toContain(entry.mnemonic.split(' ').slice(0, 3).join(' '));
    }, 120_000);

    it('storemanagedwallet and storemanagedprivatekey', async () => {
      eth = json<{ signatureId: string }>(
        await kms(['storemanagedwallet', 'ETH'], env(), `${MNEMONIC}\n`),
      ).signatureId;
      expect(json(await kms(['getaddress', eth, '0'], env())).address).toBe(HARDHAT_ADDRESS);
      key = json<{ signatureId: string }>(
        await kms(['storemanagedprivatekey', 'ETH'], env(), `${HARDHAT_KEY}\n`),
      ).signatureId;
      expect(json(await kms(['getprivatekey', key], env())).privateKey).toBe(HARDHAT_KEY);
      expect(json(await kms(['getaddress', key], env())).address).toBe(HARDHAT_ADDRESS);
      const values = [...fake.aliases.values()].map(({ value }) => value).join('\n');
      expect(values).not.toContain(HARDHAT_KEY.slice(2, 20));
    }, 120_000);

    it('export, removewallet, checkconfig', async () => {
      const exported = json<Record<string, { chain: string }>>(await kms(['export'], env()));
      expect(Object.keys(exported).sort()).toEqual([btc, eth, key].sort());
      expect(exported[eth]).toEqual({
        mnemonic: MNEMONIC,
        xpub: expect.any(String),
        chain: 'ETH',
        testnet: false,
      });
      const removed = await kms(['removewallet', btc], env());
      expect(removed.code).toBe(0);
      failure(await kms(['getmanagedwallet', btc], env()), new RegExp(`No such wallet: ${btc}`));
      failure(await kms(['removewallet', btc], env()), /No such wallet/);
      expect(Object.keys(json(await kms(['export'], env()))).sort()).toEqual([eth, key].sort());
      const config = await kms(['checkconfig'], env());
      expect(config.stdout).toMatch(/Storage provider\s+: vgs/);
      expect(config.stdout).not.toContain(VGS_SECRET);
    }, 120_000);

    it('changepassword re-wraps the data key: the new password opens every wallet, the old one no more', async () => {
      const env = vgsEnv('password-index.dat');
      const id = json<{ signatureId: string }>(await kms(['generatemanagedwallet', 'ETH'], env)).signatureId;
      const before = json(await kms(['getmanagedwallet', id], env));
      const changed = await kms(['changepassword'], env, 'a-brand-new-password\na-brand-new-password\n');
      expect(changed.code).toBe(0);
      const next = { ...env, TATUM_KMS_PASSWORD: 'a-brand-new-password' };
      expect(json(await kms(['getmanagedwallet', id], next))).toEqual(before);
      failure(await kms(['getmanagedwallet', id], env), /Wrong password/);
    }, 120_000);

    it('generatemanagedprivatekeybatch ETH 1000: every key stored and readable', async () => {
      const before = fake.requests;
      const run = await kms(['generatemanagedprivatekeybatch', 'ETH', '1000'], env());
      expect(run.code).toBe(0);
      const lines = run.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { signatureId: string; address: string });
      expect(lines).toHaveLength(1000);
      expect(fake.requests - before).toBeLessThan(100); // 20 values per create request
      const exported = json<Record<string, { privateKey: string; chain: string }>>(
        await kms(['export'], env()),
      );
      for (const { signatureId } of lines) expect(exported[signatureId]).toMatchObject({ chain: 'ETH' });
      const sample = lines[567];
      expect(json(await kms(['getaddress', sample.signatureId], env())).address).toBe(sample.address);
    }, 180_000);
  });

  describe('migrate', () => {
    it('round-trips 1,000 wallets file -> vgs -> file with every entry identical; the source is untouched', async () => {
      const source = join(dir, 'migrate-source.dat');
      const back = join(dir, 'migrate-back.dat');
      const env = vgsEnv('migrate-index.dat');
      await writeTestWalletFile(source, STORE_PASSWORD); // the source file costs no scrypt time
      expect(
        (await kms(['generatemanagedprivatekeybatch', 'ETH', '997', '--path', source], fileEnv)).code,
      ).toBe(0);
      json(await kms(['generatemanagedwallet', 'BTC', '--path', source], fileEnv));
      json(await kms(['generatemanagedwallet', 'SOL', '--path', source, '--testnet'], fileEnv));
      json(await kms(['generatemanagedwallet', 'XRP', '--path', source], fileEnv));
      const original = json<Record<string, unknown>>(await kms(['export', '--path', source], fileEnv));
      expect(Object.keys(original)).toHaveLength(1000);
      const bytes = readFileSync(source);

      const there = await kms(['migrate', '--from', 'file', '--to', 'vgs', '--path', source], env);
      expect(json(there)).toEqual({ migrated: 1000, verified: 1000, from: 'file', to: 'vgs' });
      expect(readFileSync(source).equals(bytes)).toBe(true);
      expect(json(await kms(['export'], env))).toEqual(original);

      // re-running is harmless: identical wallets are kept
      expect(
        json(await kms(['migrate', '--from', 'file', '--to', 'vgs', '--path', source], env)),
      ).toMatchObject({
        migrated: 1000,
      });

      const home = await kms(['migrate', '--from', 'vgs', '--to', 'file', '--path', back], env);
      expect(json(home)).toEqual({ migrated: 1000, verified: 1000, from: 'vgs', to: 'file' });
      expect(json(await kms(['export', '--path', back], fileEnv))).toEqual(original);
      expect(readFileSync(source).equals(bytes)).toBe(true);
    }, 300_000);

    it('refuses the same provider twice and a missing --to', async () => {
      failure(await kms(['migrate', '--from', 'vgs', '--to', 'vgs'], vgsEnv('x.dat')), /both vgs/);
      failure(await kms(['migrate', '--from', 'file'], vgsEnv('x.dat')), /migrate needs --to/);
    }, 60_000);
  });

  describe('the --vgs password source', () => {
    const path = join(dir, 'vgs-password.dat');
    let id: string;

    beforeAll(async () => {
      id = json<{ signatureId: string }>(
        await kms(['generatemanagedwallet', 'ETH', '--path', path], fileEnv),
      ).signatureId;
    }, 60_000);

    const withAlias = (alias: string) => ({
      HOME: dir,
      TATUM_KMS_VGS_URL: fake.url,
      TATUM_KMS_VGS_USERNAME: VGS_USER,
      TATUM_KMS_VGS_PASSWORD: VGS_SECRET,
      TATUM_KMS_VGS_ALIAS: alias,
    });

    it('unlocks the file store and the vgs store with the password held in VGS', async () => {
      const alias = fake.seed(STORE_PASSWORD);
      expect(
        json(await kms(['getmanagedwallet', id, '--vgs', '--path', path], withAlias(alias))),
      ).toMatchObject({
        chain: 'ETH',
      });
      const env = { ...vgsEnv('cli-index.dat'), TATUM_KMS_PASSWORD: undefined, TATUM_KMS_VGS_ALIAS: alias };
      expect(Object.keys(json(await kms(['export', '--vgs'], env))).length).toBeGreaterThan(1000);
    }, 60_000);

    it('a wrong password from VGS fails exactly like a wrong typed password', async () => {
      const wrong = fake.seed('not-the-store-password');
      const viaVgs = await kms(['getmanagedwallet', id, '--vgs', '--path', path], withAlias(wrong));
      const typed = await kms(
        ['getmanagedwallet', id, '--path', path],
        { HOME: dir },
        'not-the-store-password\n',
      );
      const message = failure(viaVgs, /Wrong password/);
      expect(typed.code).toBe(viaVgs.code);
      expect(JSON.parse(typed.stderr.trim().split('\n').pop()!).error).toBe(message);
    }, 60_000);

    it('a missing alias, an empty value and missing settings are clear errors, never an empty password', async () => {
      failure(
        await kms(['getmanagedwallet', id, '--vgs', '--path', path], withAlias('tok_sandbox_doesNotExist')),
        /store password is missing in VGS: the alias in TATUM_KMS_VGS_ALIAS does not exist/,
      );
      failure(
        await kms(['getmanagedwallet', id, '--vgs', '--path', path], withAlias(fake.seed(''))),
        /store password in VGS .* is empty/,
      );
      failure(
        await kms(['getmanagedwallet', id, '--vgs', '--path', path], { HOME: dir }),
        /--vgs needs TATUM_KMS_VGS_ALIAS/,
      );
      const refused = {
        ...withAlias(fake.seed(STORE_PASSWORD)),
        TATUM_KMS_VGS_PASSWORD: 'wrong-access-secret',
      };
      const run = await kms(['getmanagedwallet', id, '--vgs', '--path', path], refused);
      failure(run, /refused the credentials \(HTTP 401\)/);
      expect(run.stderr).not.toContain('wrong-access-secret');
    }, 60_000);
  });

  describe('faults: clear errors, nothing lost, no credential printed', () => {
    const index = 'faults-index.dat';
    let ids: string[];
    let snapshot: Record<string, unknown>;

    beforeAll(async () => {
      const run = await kms(['generatemanagedprivatekeybatch', 'ETH', '5'], vgsEnv(index));
      ids = run.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line).signatureId);
      snapshot = json(await kms(['export'], vgsEnv(index)));
    }, 60_000);
    afterEach(() => fake.clearFaults());
    const unchanged = async () => expect(json(await kms(['export'], vgsEnv(index)))).toEqual(snapshot);

    it('an unreachable vault', async () => {
      const env = vgsEnv(index, { TATUM_KMS_VGS_URL: await closedPortUrl() });
      const indexBytes = readFileSync(join(dir, index));
      failure(
        await kms(['getmanagedwallet', ids[0]], env),
        /^vgs: cannot reach http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)$/,
      );
      failure(await kms(['generatemanagedwallet', 'ETH'], env), /cannot reach/);
      failure(await kms(['removewallet', ids[0]], env), /cannot reach/);
      expect(readFileSync(join(dir, index)).equals(indexBytes)).toBe(true);
      await unchanged();
    }, 120_000);

    it('wrong credentials', async () => {
      const env = vgsEnv(index, { TATUM_KMS_VGS_PASSWORD: 'a-wrong-vgs-secret' });
      for (const args of [['export'], ['generatemanagedwallet', 'ETH'], ['removewallet', ids[1]]]) {
        const run = await kms(args, env);
        failure(
          run,
          /refused the credentials \(HTTP 401\); check TATUM_KMS_VGS_USERNAME and TATUM_KMS_VGS_PASSWORD/,
        );
        expect(run.stderr).not.toContain('a-wrong-vgs-secret');
      }
      await unchanged();
    }, 120_000);

    it('a wallet alias missing in VGS reads as a missing wallet; the others are intact', async () => {
      const entries = JSON.parse(readFileSync(join(dir, index), 'utf8')).entries;
      const alias = entries[`tatum-kms-${ids[2]}`].alias as string;
      const kept = fake.aliases.get(alias)!;
      fake.aliases.delete(alias);
      failure(
        await kms(['getmanagedwallet', ids[2]], vgsEnv(index)),
        new RegExp(`No such wallet: ${ids[2]}`),
      );
      expect(json(await kms(['getmanagedwallet', ids[3]], vgsEnv(index)))).toEqual(snapshot[ids[3]]);
      fake.aliases.set(alias, kept);
      await unchanged();
    }, 120_000);

    it('a deleted data key alias is a clear error, and restoring it restores everything', async () => {
      const entries = JSON.parse(readFileSync(join(dir, index), 'utf8')).entries;
      const alias = entries['tatum-kms-data-key'].alias as string;
      const kept = fake.aliases.get(alias)!;
      fake.aliases.delete(alias);
      failure(
        await kms(['getmanagedwallet', ids[0]], vgsEnv(index)),
        /The data key secret tatum-kms-data-key is damaged: it is missing while the vault holds wallet secrets/,
      );
      failure(await kms(['generatemanagedwallet', 'ETH'], vgsEnv(index)), /data key secret .* is missing/);
      fake.aliases.set(alias, kept);
      await unchanged();
    }, 120_000);

    it('throttling is retried; a vault failing mid-batch stores nothing', async () => {
      fake.failNext({ status: 429, retryAfter: '0' }, 3);
      expect(json(await kms(['getmanagedwallet', ids[4]], vgsEnv(index)))).toEqual(snapshot[ids[4]]);

      const aliases = fake.aliases.size;
      fake.failNext({ status: 500, method: 'POST', after: 1 }, 1000); // the first 20 values get stored
      const run = await kms(['generatemanagedprivatekeybatch', 'ETH', '50'], vgsEnv(index));
      failure(
        run,
        /^vgs: 50 wallet\(s\) could not be stored \(POST \/aliases failed with HTTP 500 after 5 attempts\); nothing was stored$/,
      );
      expect(run.stdout).toBe('');
      expect(fake.aliases.size).toBe(aliases);
      fake.clearFaults();
      await unchanged();
    }, 120_000);
  });
});
