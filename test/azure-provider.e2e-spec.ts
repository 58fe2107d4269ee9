import { existsSync } from 'node:fs';
import { join } from 'node:path';
import vectors from './fixtures/derivation.json';
import { FakeAzureKeyVault, type FakeAzureRoute } from './support/fake-azure-key-vault';
import { json, runKms, tempDir, type KmsRun } from './support/kms-cli';
import { runKmsInProcess } from './support/kms-in-process';
import { withTestScryptCost, writeTestWalletFile } from './support/wallet-files';

/**
 * The `azure` storage provider and the `--azure` password source, through the CLI (in-process, and in
 * a process of its own where the SDK's own environment matters), against the
 * HTTPS fake of Azure Key Vault and Microsoft Entra ID: the real @azure/keyvault-secrets and
 * @azure/identity (ClientSecretCredential, bearer challenge), trusting the fake's self-signed
 * certificate through NODE_EXTRA_CA_CERTS (honoured in-process too).
 */
const PASSWORD = 'azure-e2e-store-password';
const PREFIX = 'kms-e2e-';
const ETH_KEY = vectors.chains.ETH.mainnet.generatePrivateKeyFromMnemonic['0'];
const ROUTES: FakeAzureRoute[] = [
  'metadata',
  'token',
  'get',
  'set',
  'list',
  'delete',
  'getDeleted',
  'purge',
  'recover',
];

type Entry = Record<string, unknown>;

// Every test runs the CLI several times; on a loaded machine that takes far more than jest's 5 s.
jest.setTimeout(120_000);

describe('azure provider (CLI against a Key Vault fake)', () => {
  const { dir, cleanup } = tempDir('kms-e2e-azure-');
  let fake: FakeAzureKeyVault;
  let mark = 0;

  const azureEnv = (extra: Record<string, string | undefined> = {}): Record<string, string | undefined> => ({
    HOME: dir,
    TATUM_KMS_PASSWORD: PASSWORD,
    TATUM_KMS_SECRET_PREFIX: PREFIX,
    ...fake.env(),
    ...extra,
  });
  const kms = (args: string[], extra: Record<string, string | undefined> = {}, input?: string) =>
    runKmsInProcess(args, { env: azureEnv(extra), input, timeoutMs: 120_000 });
  const walletNames = () =>
    fake.names().filter((name) => name.startsWith(PREFIX) && name !== `${PREFIX}data-key`);
  /** Requests per route since the last call (401 challenge answers included), e.g. `{ get: 1, set: 2 }`. */
  const calls = (): Record<string, number> => {
    const counts: Record<string, number> = {};
    for (const request of fake.requests.slice(mark)) counts[request.route] = (counts[request.route] ?? 0) + 1;
    mark = fake.requests.length;
    return Object.fromEntries(ROUTES.filter((route) => counts[route]).map((route) => [route, counts[route]]));
  };
  /** A failed run: non-zero exit, one JSON error line on stderr, no credential anywhere in the output. */
  const failed = (run: KmsRun, message: RegExp): void => {
    expect(run.code).not.toBe(0);
    expect(run.stdout).toBe('');
    expect(JSON.parse(run.stderr)).toEqual({ error: expect.stringMatching(message) });
    for (const secret of [fake.clientSecret, 'wrong~client~secret', PASSWORD])
      expect(run.stderr).not.toContain(secret);
  };

  beforeAll(async () => {
    fake = await FakeAzureKeyVault.start();
  });
  afterAll(async () => {
    await fake.stop();
    cleanup();
  });
  // Once a test has made the store's data key record (the first write, checked as the product does it),
  // it is re-wrapped under the cheap test KDF: later commands skip the ~0.3 s scrypt (wallet-files.ts).
  afterEach(async () => {
    const cheap = await withTestScryptCost(fake.value(`${PREFIX}data-key`), PASSWORD);
    if (cheap) fake.seed(`${PREFIX}data-key`, cheap, fake.tags(`${PREFIX}data-key`));
  });

  it('a command that does not use the store makes no call (the SDKs load on first use)', async () => {
    const run = await kms(['generatewallet', 'ETH'], { TATUM_KMS_AZURE_CLIENT_SECRET: undefined });
    expect(json(run)).toEqual({ mnemonic: expect.any(String), xpub: expect.stringMatching(/^xpub/) });
    expect(fake.requests).toHaveLength(0);
  });

  describe('wallet commands', () => {
    let mnemonicWallet: string;
    let storedWallet: string;
    let keyWallet: string;

    it('generatemanagedwallet stores one secret per wallet (plus the data key), vault URL given without scheme', async () => {
      const created = json<{ signatureId: string; xpub: string }>(
        await kms(['generatemanagedwallet', 'ETH'], { TATUM_KMS_AZURE_VAULTURL: new URL(fake.url).host }),
      );
      expect(created).toEqual({ signatureId: expect.any(String), xpub: expect.stringMatching(/^xpub/) });
      mnemonicWallet = created.signatureId;
      // Empty vault: the data key is missing, no wallet exists without it, so create it (put + read
      // back), then the wallet. The first vault request is answered with the bearer challenge.
      const counts = calls();
      console.log(`generatemanagedwallet ETH (empty vault): ${JSON.stringify(counts)}`);
      expect(counts).toEqual({ metadata: 1, token: 1, get: 3, list: 1, set: 2 });
      expect(fake.names()).toEqual([`${PREFIX}data-key`, `${PREFIX}${mnemonicWallet}`].sort());
      expect(fake.tags(`${PREFIX}${mnemonicWallet}`)).toMatchObject({
        kind: 'kms-wallet',
        chain: 'ETH',
        testnet: 'false',
      });
      // The vault holds ciphertext only.
      expect(fake.value(`${PREFIX}${mnemonicWallet}`)).not.toMatch(/mnemonic|xpub/);
    });

    it('storemanagedwallet stores a piped mnemonic; getmanagedwallet reads it back', async () => {
      const stored = json<{ signatureId: string; xpub: string }>(
        await kms(['storemanagedwallet', 'ETH'], {}, `${vectors.mnemonic}\n`),
      );
      expect(stored.xpub).toBe(vectors.chains.ETH.mainnet.generateWallet.result.xpub);
      storedWallet = stored.signatureId;
      calls();
      expect(json(await kms(['getmanagedwallet', storedWallet]))).toEqual({
        mnemonic: vectors.mnemonic,
        xpub: stored.xpub,
        chain: 'ETH',
        testnet: false,
      });
      const counts = calls();
      console.log(`getmanagedwallet: ${JSON.stringify(counts)}`);
      expect(counts).toEqual({ metadata: 1, token: 1, get: 3 });
    });

    it('storemanagedprivatekey stores a piped key; getprivatekey and getaddress read it back', async () => {
      const stored = json<{ signatureId: string }>(
        await kms(['storemanagedprivatekey', 'ETH'], {}, `${ETH_KEY}\n`),
      );
      keyWallet = stored.signatureId;
      expect(json(await kms(['getprivatekey', keyWallet]))).toEqual({ privateKey: ETH_KEY });
      expect(json(await kms(['getaddress', storedWallet, '5']))).toEqual({
        address: vectors.chains.ETH.mainnet.generateAddressFromXPub['5'],
      });
      expect(json(await kms(['getprivatekey', storedWallet, '0']))).toEqual({ privateKey: ETH_KEY });
      expect(json(await kms(['getaddress', keyWallet]))).toEqual({
        address: vectors.chains.ETH.mainnet.generateAddressFromXPub['0'],
      });
    });

    it('export returns every wallet; removewallet deletes (and purges) exactly one secret', async () => {
      calls();
      const exported = json<Record<string, Entry>>(await kms(['export']));
      expect(Object.keys(exported).sort()).toEqual([mnemonicWallet, storedWallet, keyWallet].sort());
      expect(exported[keyWallet]).toMatchObject({ privateKey: ETH_KEY, chain: 'ETH', testnet: false });
      console.log(`export (3 wallets): ${JSON.stringify(calls())}`);

      const removed = await kms(['removewallet', mnemonicWallet]);
      expect(removed.code).toBe(0);
      console.log(`removewallet: ${JSON.stringify(calls())}`);
      expect(walletNames().sort()).toEqual([`${PREFIX}${storedWallet}`, `${PREFIX}${keyWallet}`].sort());
      expect(fake.isDeleted(`${PREFIX}${mnemonicWallet}`)).toBe(false);
      failed(await kms(['getmanagedwallet', mnemonicWallet]), /No such wallet/);
    });

    it('generatemanagedprivatekeybatch ETH 1000 stores 1,000 secrets with one set each', async () => {
      const walletsBefore = walletNames().length;
      calls();
      const started = Date.now();
      const run = await kms(['generatemanagedprivatekeybatch', 'ETH', '1000']);
      const elapsed = Date.now() - started;
      expect(run.code).toBe(0);
      const lines = run.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { signatureId: string; address: string });
      expect(lines).toHaveLength(1000);
      expect(new Set(lines.map(({ signatureId }) => signatureId)).size).toBe(1000);
      expect(walletNames()).toHaveLength(walletsBefore + 1000);
      // Token once, the data key read once (its 401 challenge first), then one set per wallet.
      const counts = calls();
      console.log(
        `generatemanagedprivatekeybatch ETH 1000 (existing store, ${elapsed} ms): ${JSON.stringify(counts)}`,
      );
      expect(counts).toEqual({ metadata: 1, token: 1, get: 2, set: 1000 });
    }, 180_000);

    it('without TATUM_KMS_AZURE_* credentials, DefaultAzureCredential takes them from AZURE_* variables (a process of its own: the SDK reads its environment)', async () => {
      const run = await runKms(['getprivatekey', keyWallet], {
        env: azureEnv({
          TATUM_KMS_AZURE_TENANT_ID: undefined,
          TATUM_KMS_AZURE_CLIENT_ID: undefined,
          TATUM_KMS_AZURE_CLIENT_SECRET: undefined,
          AZURE_TENANT_ID: fake.tenantId,
          AZURE_CLIENT_ID: fake.clientId,
          AZURE_CLIENT_SECRET: fake.clientSecret,
        }),
        timeoutMs: 120_000,
      });
      expect(json(run)).toEqual({ privateKey: ETH_KEY });
    }, 120_000);

    it('throttling (429 with Retry-After) during a write is retried by the SDK', async () => {
      fake.failNext('set', { status: 429, retryAfter: 1 }, 2);
      const created = json<{ signatureId: string }>(await kms(['generatemanagedwallet', 'BTC']));
      expect(fake.tags(`${PREFIX}${created.signatureId}`)).toMatchObject({ chain: 'BTC' });
      expect(fake.requests.filter((r) => r.route === 'set' && r.status === 429)).toHaveLength(2);
    });
  });

  describe('faults', () => {
    let before: string[];

    beforeAll(() => {
      before = fake.names();
    });

    it('an unreachable vault is a JSON error and stores nothing', async () => {
      const closed = await FakeAzureKeyVault.start();
      const url = closed.url;
      await closed.stop();
      const run = await kms(['generatemanagedwallet', 'ETH'], { TATUM_KMS_AZURE_VAULTURL: url });
      failed(run, /^Azure Key Vault 127\.0\.0\.1:\d+: could not reach the vault \(ECONNREFUSED\)/);
      failed(await kms(['export'], { TATUM_KMS_AZURE_VAULTURL: url }), /could not reach the vault/);
      expect(fake.names()).toEqual(before);
    }, 60_000);

    it('wrong credentials are a JSON error without the credentials, and change nothing', async () => {
      const run = await kms(['generatemanagedwallet', 'ETH'], {
        TATUM_KMS_AZURE_CLIENT_SECRET: 'wrong~client~secret',
      });
      failed(run, /the credentials were refused while .* \(invalid_client\)/);
      const unknownClient = await kms(['export'], {
        TATUM_KMS_AZURE_CLIENT_ID: '00000000-0000-0000-0000-000000000001',
      });
      failed(unknownClient, /credentials were refused/);
      expect(fake.names()).toEqual(before);
    });

    it('a wallet secret deleted in the vault (soft-deleted) reads as a missing wallet', async () => {
      const created = json<{ signatureId: string }>(await kms(['generatemanagedwallet', 'ETH']));
      fake.softDelete(`${PREFIX}${created.signatureId}`);
      failed(await kms(['getmanagedwallet', created.signatureId]), /No such wallet/);
      const exported = json<Record<string, Entry>>(await kms(['export']));
      expect(exported[created.signatureId]).toBeUndefined();
      expect(Object.keys(exported)).toHaveLength(before.length - 1); // the wallets from before, not the data key
    }, 120_000);

    it('nothing was lost: every wallet from before is still readable', async () => {
      const exported = json<Record<string, Entry>>(await kms(['export']));
      for (const name of before.filter((n) => n !== `${PREFIX}data-key`))
        expect(exported[name.slice(PREFIX.length)]).toBeDefined();
    }, 120_000);
  });

  describe('--azure password source (with the file store)', () => {
    const SECRET_NAME = 'kms-e2e-password';
    const path = join(dir, 'azure-password-wallet.dat');
    const fileEnv = (extra: Record<string, string | undefined> = {}) => ({
      TATUM_KMS_STORAGE: 'file',
      TATUM_KMS_PASSWORD: undefined,
      TATUM_KMS_AZURE_SECRETNAME: SECRET_NAME,
      ...extra,
    });
    let id: string;

    beforeAll(async () => {
      const created = await runKmsInProcess(['storemanagedprivatekey', 'ETH', '--path', path], {
        env: { HOME: dir, TATUM_KMS_PASSWORD: PASSWORD },
        input: `${ETH_KEY}\n`,
      });
      id = json<{ signatureId: string }>(created).signatureId;
    });

    it('the right password from the secret opens the store, with one read of the secret', async () => {
      fake.seed(SECRET_NAME, PASSWORD);
      calls();
      expect(json(await kms(['getprivatekey', id, '--azure', '--path', path], fileEnv()))).toEqual({
        privateKey: ETH_KEY,
      });
      expect(calls()).toEqual({ metadata: 1, token: 1, get: 2 }); // challenge + read
    });

    it('a pinned TATUM_KMS_AZURE_SECRETVERSION is read, not the current version', async () => {
      fake.seed(SECRET_NAME, PASSWORD);
      const pinned = fake.versions(SECRET_NAME).at(-1)!;
      fake.seed(SECRET_NAME, 'a-newer-wrong-password');
      const run = await kms(
        ['getprivatekey', id, '--azure', '--path', path],
        fileEnv({ TATUM_KMS_AZURE_SECRETVERSION: pinned }),
      );
      expect(json(run)).toEqual({ privateKey: ETH_KEY });
      fake.seed(SECRET_NAME, PASSWORD);
    });

    it('a wrong password in the secret fails exactly like a wrong typed password', async () => {
      fake.seed(SECRET_NAME, 'not-the-password');
      const viaAzure = await kms(['export', '--azure', '--path', path], fileEnv());
      const typed = await runKmsInProcess(['export', '--path', path], {
        env: { HOME: dir, TATUM_KMS_PASSWORD: 'not-the-password' },
      });
      failed(viaAzure, /wrong password/i);
      expect(viaAzure.stderr).toBe(typed.stderr);
      expect(viaAzure.code).toBe(typed.code);
      expect(viaAzure.stderr).not.toContain('not-the-password');
      fake.seed(SECRET_NAME, PASSWORD);
    });

    it('a missing or deleted password secret is a JSON error, and so are wrong credentials', async () => {
      failed(
        await kms(
          ['export', '--azure', '--path', path],
          fileEnv({ TATUM_KMS_AZURE_SECRETNAME: 'kms-e2e-missing' }),
        ),
        /has no secret kms-e2e-missing \(missing or deleted\)/,
      );
      fake.seed('kms-e2e-deleted-password', PASSWORD);
      fake.softDelete('kms-e2e-deleted-password');
      failed(
        await kms(
          ['export', '--azure', '--path', path],
          fileEnv({ TATUM_KMS_AZURE_SECRETNAME: 'kms-e2e-deleted-password' }),
        ),
        /has no secret kms-e2e-deleted-password/,
      );
      failed(
        await kms(
          ['export', '--azure', '--path', path],
          fileEnv({ TATUM_KMS_AZURE_CLIENT_SECRET: 'wrong~client~secret' }),
        ),
        /credentials were refused/,
      );
      failed(
        await kms(['export', '--azure', '--path', path], fileEnv({ TATUM_KMS_AZURE_SECRETNAME: undefined })),
        /TATUM_KMS_AZURE_SECRETNAME/,
      );
    });

    it('the password source with the azure store: one secret holds the password, others the wallets', async () => {
      fake.seed(SECRET_NAME, PASSWORD);
      const exported = json<Record<string, Entry>>(
        await kms(['export', '--azure'], {
          TATUM_KMS_PASSWORD: undefined,
          TATUM_KMS_AZURE_SECRETNAME: SECRET_NAME,
        }),
      );
      expect(Object.keys(exported).length).toBeGreaterThan(1000);
    }, 120_000);
  });

  describe('migrate between file and azure', () => {
    const MIGRATE_PREFIX = 'kms-migrate-';
    const source = join(dir, 'migrate-source.dat');
    const target = join(dir, 'migrate-target.dat');
    const env = (extra: Record<string, string | undefined> = {}) => ({
      TATUM_KMS_SECRET_PREFIX: MIGRATE_PREFIX,
      ...extra,
    });

    it('file -> azure -> file round-trips 1,000 wallets identically', async () => {
      await writeTestWalletFile(source, PASSWORD); // the source file costs no scrypt time
      const batch = await runKmsInProcess(
        ['generatemanagedprivatekeybatch', 'ETH', '1000', '--path', source],
        {
          env: { HOME: dir, TATUM_KMS_PASSWORD: PASSWORD },
          timeoutMs: 120_000,
        },
      );
      expect(batch.code).toBe(0);
      const original = json<Record<string, Entry>>(
        await runKmsInProcess(['export', '--path', source], {
          env: { HOME: dir, TATUM_KMS_PASSWORD: PASSWORD },
        }),
      );
      expect(Object.keys(original)).toHaveLength(1000);

      calls();
      const toAzure = await kms(['migrate', '--from', 'file', '--to', 'azure', '--path', source], env());
      expect(toAzure.stderr).toBe('');
      expect(toAzure.code).toBe(0);
      console.log(`migrate --from file --to azure (1,000 wallets): ${JSON.stringify(calls())}`);
      expect(fake.names().filter((name) => name.startsWith(MIGRATE_PREFIX))).toHaveLength(1001);
      expect(json(await kms(['export'], env()))).toEqual(original);
      console.log(`export (1,000 wallets): ${JSON.stringify(calls())}`);

      const toFile = await kms(['migrate', '--from', 'azure', '--to', 'file', '--path', target], env());
      expect(toFile.stderr).toBe('');
      expect(toFile.code).toBe(0);
      console.log(`migrate --from azure --to file (1,000 wallets): ${JSON.stringify(calls())}`);
      expect(existsSync(target)).toBe(true);
      const copied = json<Record<string, Entry>>(
        await runKmsInProcess(['export', '--path', target], {
          env: { HOME: dir, TATUM_KMS_PASSWORD: PASSWORD },
        }),
      );
      expect(copied).toEqual(original);
    }, 300_000);
  });
});
