import { existsSync } from 'node:fs';
import { join } from 'node:path';
import vectors from './fixtures/derivation.json';
import { FAKE_AWS_CREDENTIALS, FakeAwsSecretsManager } from './support/fake-aws-secrets-manager';
import { json, tempDir, type KmsRun } from './support/kms-cli';
import { runKmsInProcess } from './support/kms-in-process';
import { withTestScryptCost, writeTestWalletFile } from './support/wallet-files';

/**
 * The `aws` storage provider and the `--aws` password source, through the CLI (in-process: the executable's own entry point), against the
 * JSON 1.1 fake of AWS Secrets Manager (the real @aws-sdk/client-secrets-manager, endpoint override).
 */
const PASSWORD = 'aws-e2e-store-password';
const PREFIX = 'kms-e2e-';
const ETH_KEY = vectors.chains.ETH.mainnet.generatePrivateKeyFromMnemonic['0'];

type Entry = Record<string, unknown>;

// Every test runs the CLI several times; on a loaded machine that takes far more than jest's 5 s.
jest.setTimeout(120_000);

describe('aws provider (CLI against a Secrets Manager fake)', () => {
  const { dir, cleanup } = tempDir('kms-e2e-aws-');
  let fake: FakeAwsSecretsManager;

  const awsEnv = (extra: Record<string, string | undefined> = {}): Record<string, string | undefined> => ({
    HOME: dir,
    TATUM_KMS_STORAGE: 'aws',
    TATUM_KMS_PASSWORD: PASSWORD,
    TATUM_KMS_SECRET_PREFIX: PREFIX,
    TATUM_KMS_AWS_REGION: 'us-east-1',
    TATUM_KMS_AWS_ENDPOINT: fake.url,
    TATUM_KMS_AWS_ACCESS_KEY_ID: FAKE_AWS_CREDENTIALS.accessKeyId,
    TATUM_KMS_AWS_SECRET_ACCESS_KEY: FAKE_AWS_CREDENTIALS.secretAccessKey,
    ...extra,
  });
  const kms = (args: string[], extra: Record<string, string | undefined> = {}, input?: string) =>
    runKmsInProcess(args, { env: awsEnv(extra), input, timeoutMs: 120_000 });
  const walletNames = () =>
    fake.names().filter((name) => name.startsWith(PREFIX) && name !== `${PREFIX}data-key`);
  /** A failed run: non-zero exit, one JSON error line on stderr, no credential anywhere in the output. */
  const failed = (run: KmsRun, message: RegExp): void => {
    expect(run.code).not.toBe(0);
    expect(run.stdout).toBe('');
    expect(JSON.parse(run.stderr)).toEqual({ error: expect.stringMatching(message) });
    for (const secret of [FAKE_AWS_CREDENTIALS.secretAccessKey, 'wrong/secret', PASSWORD]) {
      expect(run.stderr).not.toContain(secret);
    }
  };

  beforeAll(async () => {
    fake = await FakeAwsSecretsManager.start();
  });
  afterAll(async () => {
    await fake.stop();
    cleanup();
  });
  // Once a test has made the store's data key record (the first write, checked as the product does it),
  // it is re-wrapped under the cheap test KDF: later commands skip the ~0.3 s scrypt (wallet-files.ts).
  afterEach(async () => {
    const record = fake.secret(`${PREFIX}data-key`);
    const cheap = await withTestScryptCost(record?.value, PASSWORD);
    if (cheap) fake.seed(`${PREFIX}data-key`, cheap, record!.tags);
  });

  it('a command that does not use the store makes no call (the SDK loads on first use)', async () => {
    const run = await kms(['generatewallet', 'ETH'], { TATUM_KMS_AWS_SECRET_ACCESS_KEY: undefined });
    expect(json(run)).toEqual({ mnemonic: expect.any(String), xpub: expect.stringMatching(/^xpub/) });
    expect(fake.totalCalls).toBe(0);
  });

  describe('wallet commands', () => {
    let mnemonicWallet: string;
    let storedWallet: string;
    let keyWallet: string;

    it('generatemanagedwallet stores one secret per wallet (plus the data key)', async () => {
      const created = json<{ signatureId: string; xpub: string }>(
        await kms(['generatemanagedwallet', 'ETH']),
      );
      expect(created).toEqual({ signatureId: expect.any(String), xpub: expect.stringMatching(/^xpub/) });
      mnemonicWallet = created.signatureId;
      // First write into an empty vault: no data key yet, no wallet without it, create it, then the wallet.
      expect(fake.calls).toEqual({ GetSecretValue: 1, ListSecrets: 1, CreateSecret: 2 });
      expect(fake.names()).toEqual([`${PREFIX}data-key`, `${PREFIX}${mnemonicWallet}`].sort());
      expect(fake.secret(`${PREFIX}${mnemonicWallet}`)?.tags).toMatchObject({
        kind: 'kms-wallet',
        chain: 'ETH',
        testnet: 'false',
      });
      // The vault holds ciphertext only.
      expect(fake.secret(`${PREFIX}${mnemonicWallet}`)?.value).not.toMatch(/mnemonic|xpub/);
    });

    it('storemanagedwallet stores a piped mnemonic', async () => {
      const stored = json<{ signatureId: string; xpub: string }>(
        await kms(['storemanagedwallet', 'ETH'], {}, `${vectors.mnemonic}\n`),
      );
      expect(stored.xpub).toBe(vectors.chains.ETH.mainnet.generateWallet.result.xpub);
      storedWallet = stored.signatureId;
      expect(json(await kms(['getmanagedwallet', storedWallet]))).toEqual({
        mnemonic: vectors.mnemonic,
        xpub: stored.xpub,
        chain: 'ETH',
        testnet: false,
      });
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

    it('export returns every wallet; removewallet deletes exactly one secret', async () => {
      const exported = json<Record<string, Entry>>(await kms(['export']));
      expect(Object.keys(exported).sort()).toEqual([mnemonicWallet, storedWallet, keyWallet].sort());
      expect(exported[keyWallet]).toMatchObject({ privateKey: ETH_KEY, chain: 'ETH', testnet: false });

      const removed = await kms(['removewallet', mnemonicWallet]);
      expect(removed.code).toBe(0);
      expect(walletNames().sort()).toEqual([`${PREFIX}${storedWallet}`, `${PREFIX}${keyWallet}`].sort());
      const again = await kms(['getmanagedwallet', mnemonicWallet]);
      expect(again.code).not.toBe(0);
      expect(JSON.parse(again.stderr).error).toMatch(/No such wallet/);
    });

    it('generatemanagedprivatekeybatch ETH 1000 stores 1,000 secrets with one CreateSecret each', async () => {
      const walletsBefore = walletNames().length;
      fake.resetCalls();
      const run = await kms(['generatemanagedprivatekeybatch', 'ETH', '1000']);
      expect(run.code).toBe(0);
      const lines = run.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { signatureId: string; address: string });
      expect(lines).toHaveLength(1000);
      expect(new Set(lines.map(({ signatureId }) => signatureId)).size).toBe(1000);
      expect(walletNames()).toHaveLength(walletsBefore + 1000);
      // The data key read once, then one CreateSecret per wallet: nothing else.
      expect(fake.calls).toEqual({ GetSecretValue: 1, CreateSecret: 1000 });
      console.log(`generatemanagedprivatekeybatch ETH 1000 (existing store): ${JSON.stringify(fake.calls)}`);
    }, 180_000);

    it('throttling during a write is retried by the SDK', async () => {
      fake.failNext('throttle', 2, 'CreateSecret');
      const created = json<{ signatureId: string }>(await kms(['generatemanagedwallet', 'BTC']));
      expect(fake.secret(`${PREFIX}${created.signatureId}`)?.tags).toMatchObject({ chain: 'BTC' });
    });
  });

  describe('faults', () => {
    const wrongSecret = 'wrong/secret/access/key/never/printed';
    let before: string[];

    beforeAll(() => {
      before = fake.names();
    });

    it('an unreachable endpoint is a JSON error and stores nothing', async () => {
      const closed = await FakeAwsSecretsManager.start();
      await closed.stop();
      const run = await kms(['generatemanagedwallet', 'ETH'], { TATUM_KMS_AWS_ENDPOINT: closed.url });
      failed(run, /^aws: cannot reach Secrets Manager at http:\/\/127\.0\.0\.1:\d+ \(connection refused\)/);
      const read = await kms(['export'], { TATUM_KMS_AWS_ENDPOINT: closed.url });
      failed(read, /cannot reach Secrets Manager/);
      expect(fake.names()).toEqual(before);
    });

    it('wrong credentials are a JSON error without the credentials, and change nothing', async () => {
      const run = await kms(['generatemanagedwallet', 'ETH'], {
        TATUM_KMS_AWS_SECRET_ACCESS_KEY: wrongSecret,
      });
      failed(run, /refused the credentials \(InvalidSignatureException\)/);
      const unknown = await kms(['export'], { TATUM_KMS_AWS_ACCESS_KEY_ID: 'AKIAUNKNOWN000000001' });
      failed(unknown, /refused the credentials \(UnrecognizedClientException\)/);
      expect(unknown.stderr).not.toContain('AKIAUNKNOWN000000001');
      expect(fake.names()).toEqual(before);
    });

    it('a wallet secret that was deleted reads as a missing wallet', async () => {
      const created = json<{ signatureId: string }>(await kms(['generatemanagedwallet', 'ETH']));
      fake.scheduleDeletion(`${PREFIX}${created.signatureId}`);
      failed(await kms(['getmanagedwallet', created.signatureId]), /No such wallet/);
      const exported = json<Record<string, Entry>>(await kms(['export']));
      expect(exported[created.signatureId]).toBeUndefined();
      expect(Object.keys(exported)).toHaveLength(before.length - 1); // the wallets from before, not the data key
    }, 120_000);

    it('nothing was lost: every wallet from before is still readable', async () => {
      const exported = json<Record<string, Entry>>(await kms(['export']));
      for (const name of before.filter((n) => n !== `${PREFIX}data-key`)) {
        expect(exported[name.slice(PREFIX.length)]).toBeDefined();
      }
    }, 120_000);
  });

  describe('--aws password source (with the file store)', () => {
    const SECRET_NAME = 'kms/e2e/password';
    const SECRET_KEY = 'walletPassword';
    const path = join(dir, 'aws-password-wallet.dat');
    const fileEnv = (extra: Record<string, string | undefined> = {}) => ({
      TATUM_KMS_STORAGE: 'file',
      TATUM_KMS_PASSWORD: undefined,
      TATUM_KMS_AWS_SECRET_NAME: SECRET_NAME,
      TATUM_KMS_AWS_SECRET_KEY: SECRET_KEY,
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

    it('the right password from the secret opens the store', async () => {
      fake.seed(SECRET_NAME, JSON.stringify({ [SECRET_KEY]: PASSWORD, other: 'x' }));
      fake.resetCalls();
      expect(json(await kms(['getprivatekey', id, '--aws', '--path', path], fileEnv()))).toEqual({
        privateKey: ETH_KEY,
      });
      expect(fake.calls).toEqual({ GetSecretValue: 1 });
    });

    it('a wrong password in the secret fails exactly like a wrong typed password', async () => {
      fake.seed(SECRET_NAME, JSON.stringify({ [SECRET_KEY]: 'not-the-password' }));
      const viaAws = await kms(['export', '--aws', '--path', path], fileEnv());
      const typed = await runKmsInProcess(['export', '--path', path], {
        env: { HOME: dir, TATUM_KMS_PASSWORD: 'not-the-password' },
      });
      failed(viaAws, /wrong password/i);
      expect(viaAws.stderr).toBe(typed.stderr);
      expect(viaAws.code).toBe(typed.code);
      expect(viaAws.stderr).not.toContain('not-the-password');
    });

    it('a missing password secret, or one without the key, is a JSON error', async () => {
      failed(
        await kms(
          ['export', '--aws', '--path', path],
          fileEnv({ TATUM_KMS_AWS_SECRET_NAME: 'kms/e2e/missing' }),
        ),
        /password secret kms\/e2e\/missing does not exist/,
      );
      fake.seed(SECRET_NAME, JSON.stringify({ password: PASSWORD }));
      failed(await kms(['export', '--aws', '--path', path], fileEnv()), /has no key "walletPassword"/);
    });

    it('the password source with the aws store: one secret holds the password, others the wallets', async () => {
      fake.seed(SECRET_NAME, JSON.stringify({ [SECRET_KEY]: PASSWORD }));
      const exported = json<Record<string, Entry>>(
        await kms(['export', '--aws'], {
          TATUM_KMS_PASSWORD: undefined,
          TATUM_KMS_AWS_SECRET_NAME: SECRET_NAME,
          TATUM_KMS_AWS_SECRET_KEY: SECRET_KEY,
        }),
      );
      expect(Object.keys(exported).length).toBeGreaterThan(1000);
    }, 120_000);
  });

  describe('migrate between file and aws', () => {
    const MIGRATE_PREFIX = 'kms-migrate-';
    const source = join(dir, 'migrate-source.dat');
    const target = join(dir, 'migrate-target.dat');
    const env = (extra: Record<string, string | undefined> = {}) => ({
      TATUM_KMS_SECRET_PREFIX: MIGRATE_PREFIX,
      ...extra,
    });

    it('file -> aws -> file round-trips 1,000 wallets identically', async () => {
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

      fake.resetCalls();
      const toAws = await kms(['migrate', '--from', 'file', '--to', 'aws', '--path', source], env());
      expect(toAws.stderr).toBe('');
      expect(toAws.code).toBe(0);
      console.log(`migrate --from file --to aws (1,000 wallets): ${JSON.stringify(fake.calls)}`);
      expect(fake.names().filter((name) => name.startsWith(MIGRATE_PREFIX))).toHaveLength(1001);
      expect(json(await kms(['export'], env()))).toEqual(original);

      fake.resetCalls();
      const toFile = await kms(['migrate', '--from', 'aws', '--to', 'file', '--path', target], env());
      expect(toFile.stderr).toBe('');
      expect(toFile.code).toBe(0);
      console.log(`migrate --from aws --to file (1,000 wallets): ${JSON.stringify(fake.calls)}`);
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
