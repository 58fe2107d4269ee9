import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openWalletMap, parseEnvelope, unlockEnvelope } from '@kms/storage';
import vectors from './fixtures/derivation.json';
import { FAKE_AWS_CREDENTIALS, FakeAwsSecretsManager } from './support/fake-aws-secrets-manager';
import { json, tempDir } from './support/kms-cli';
import { runKmsInProcess } from './support/kms-in-process';

/**
 * changepassword rotates the data key: an old copy of the store and the old password open nothing
 * written after the change; on a vault, an interrupted rotation loses no wallet and completes when
 * run again. In-process (the executable's entry point, runCli): nothing here is about the process.
 */
const OLD_PASSWORD = 'rotation-old-password';
const NEW_PASSWORD = 'rotation-new-password';
const ETH_KEY = vectors.chains.ETH.mainnet.generatePrivateKeyFromMnemonic['0'];
const OTHER_KEY = vectors.chains.ETH.mainnet.generatePrivateKeyFromMnemonic['1'];

describe('changepassword rotates the data key', () => {
  const { dir, cleanup } = tempDir('kms-e2e-rotation-');
  afterAll(cleanup);

  it('file: an old copy of wallet.dat and the old password cannot decrypt a wallet added after the change', async () => {
    const path = join(dir, 'wallet.dat');
    const oldEnv = { HOME: dir, TATUM_KMS_PASSWORD: OLD_PASSWORD };
    const newEnv = { HOME: dir, TATUM_KMS_PASSWORD: NEW_PASSWORD };
    const first = json<{ signatureId: string }>(
      await runKmsInProcess(['storemanagedprivatekey', 'ETH', '--path', path], {
        env: oldEnv,
        input: `${ETH_KEY}\n`,
      }),
    ).signatureId;
    const oldCopy = parseEnvelope(readFileSync(path, 'utf8'), path);

    const changed = await runKmsInProcess(['changepassword', '--path', path], {
      env: oldEnv,
      input: `${NEW_PASSWORD}\n${NEW_PASSWORD}\n`,
    });
    expect(changed.code).toBe(0);
    const added = json<{ signatureId: string }>(
      await runKmsInProcess(['storemanagedprivatekey', 'ETH', '--path', path], {
        env: newEnv,
        input: `${OTHER_KEY}\n`,
      }),
    ).signatureId;

    // The old copy still opens with the old password; its data key cannot open the current file's
    // data (the header is authenticated too, so this is the only splice worth trying).
    const current = parseEnvelope(readFileSync(path, 'utf8'), path);
    const oldKey = await unlockEnvelope(oldCopy, OLD_PASSWORD);
    expect(() => openWalletMap(current, oldKey, path)).toThrow(/fail their integrity check/);
    const newKey = await unlockEnvelope(current, NEW_PASSWORD);
    expect(newKey.dataKey.equals(oldKey.dataKey)).toBe(false);
    expect(openWalletMap(current, newKey, path)[added]).toMatchObject({ privateKey: OTHER_KEY });

    expect(changed.stderr).toBe('Password changed; the data key was rotated and 1 wallet re-encrypted.\n');
    expect(json(await runKmsInProcess(['getprivatekey', first, '--path', path], { env: newEnv }))).toEqual({
      privateKey: ETH_KEY,
    });
    const old = await runKmsInProcess(['export', '--path', path], { env: oldEnv });
    expect(JSON.parse(old.stderr)).toEqual({ error: expect.stringMatching(/Wrong password/) });
  }, 120_000);

  describe('aws (a Secrets Manager fake)', () => {
    let fake: FakeAwsSecretsManager;
    const awsEnv = (prefix: string, password: string) => ({
      HOME: dir,
      TATUM_KMS_STORAGE: 'aws',
      TATUM_KMS_PASSWORD: password,
      TATUM_KMS_SECRET_PREFIX: prefix,
      TATUM_KMS_AWS_REGION: 'us-east-1',
      TATUM_KMS_AWS_ENDPOINT: fake.url,
      TATUM_KMS_AWS_ACCESS_KEY_ID: FAKE_AWS_CREDENTIALS.accessKeyId,
      TATUM_KMS_AWS_SECRET_ACCESS_KEY: FAKE_AWS_CREDENTIALS.secretAccessKey,
    });
    const kms = (args: string[], env: Record<string, string>, input?: string) =>
      runKmsInProcess(args, { env, input, timeoutMs: 120_000 });
    const generation = (name: string): number => JSON.parse(fake.secret(name)!.value!).g ?? 0;

    beforeAll(async () => {
      fake = await FakeAwsSecretsManager.start();
    });
    afterAll(async () => {
      await fake.stop();
    });

    it('a saved copy of the old data key secret and the old password cannot read a wallet added after the change', async () => {
      const prefix = 'kms-rot-a-';
      const first = json<{ signatureId: string }>(
        await kms(['storemanagedprivatekey', 'ETH'], awsEnv(prefix, OLD_PASSWORD), `${ETH_KEY}\n`),
      ).signatureId;
      const oldRecord = fake.secret(`${prefix}data-key`)!.value!;

      const changed = await kms(
        ['changepassword'],
        awsEnv(prefix, OLD_PASSWORD),
        `${NEW_PASSWORD}\n${NEW_PASSWORD}\n`,
      );
      expect(changed.code).toBe(0);
      const added = json<{ signatureId: string }>(
        await kms(['storemanagedprivatekey', 'ETH'], awsEnv(prefix, NEW_PASSWORD), `${OTHER_KEY}\n`),
      ).signatureId;

      // Put the old data key record back (an old backup of the vault) and use the old password.
      const currentRecord = fake.secret(`${prefix}data-key`)!.value!;
      fake.seed(`${prefix}data-key`, oldRecord, { kind: 'kms-data-key' });
      const stolen = await kms(['getprivatekey', added], awsEnv(prefix, OLD_PASSWORD));
      expect(stolen.code).not.toBe(0);
      expect(stolen.stdout).toBe('');
      expect(JSON.parse(stolen.stderr)).toEqual({
        error: `Wallet ${added} is damaged: its secret is sealed with data key generation 1, which the data key record does not hold`,
      });
      fake.seed(`${prefix}data-key`, currentRecord, { kind: 'kms-data-key' });

      expect(changed.stderr).toBe('Password changed; the data key was rotated and 1 wallet re-encrypted.\n');
      expect(generation(`${prefix}${first}`)).toBe(1);
      expect(json(await kms(['getprivatekey', first], awsEnv(prefix, NEW_PASSWORD)))).toEqual({
        privateKey: ETH_KEY,
      });
    }, 300_000);

    it('an interrupted rotation (the vault fails mid-way) loses no wallet and completes when run again', async () => {
      const prefix = 'kms-rot-b-';
      const batch = await kms(['generatemanagedprivatekeybatch', 'ETH', '40'], awsEnv(prefix, OLD_PASSWORD));
      expect(batch.code).toBe(0);
      const before = json<Record<string, unknown>>(await kms(['export'], awsEnv(prefix, OLD_PASSWORD)));
      const names = Object.keys(before).map((id) => `${prefix}${id}`);
      expect(names).toHaveLength(40);

      // The 11th re-encrypted wallet's write is refused: the rotation stops part-way.
      fake.failNext('access-denied', 1, 'PutSecretValue', 10);
      const interrupted = await kms(
        ['changepassword'],
        awsEnv(prefix, OLD_PASSWORD),
        `${NEW_PASSWORD}\n${NEW_PASSWORD}\n`,
      );
      expect(interrupted.code).not.toBe(0);
      expect(JSON.parse(interrupted.stderr)).toEqual({
        error: expect.stringMatching(
          /^The password change stopped part-way \(aws: access denied: .*\); no wallet was lost: run changepassword again/,
        ),
      });
      const generations = names.map(generation);
      expect(generations.filter((g) => g === 1).length).toBeGreaterThanOrEqual(10);
      expect(generations.filter((g) => g === 0).length).toBeGreaterThan(0);

      // Meanwhile the old password is refused with a clear message, not with garbage.
      const meanwhile = await kms(['export'], awsEnv(prefix, OLD_PASSWORD));
      expect(JSON.parse(meanwhile.stderr)).toEqual({
        error: expect.stringMatching(
          /^A password change of this wallet store is in progress or was interrupted/,
        ),
      });

      const resumed = await kms(
        ['changepassword'],
        awsEnv(prefix, OLD_PASSWORD),
        `${NEW_PASSWORD}\n${NEW_PASSWORD}\n`,
      );
      expect(resumed.code).toBe(0);
      expect(resumed.stderr).toBe(
        'Password changed (an interrupted change was finished); the data key was rotated and 40 wallets re-encrypted.\n',
      );
      expect(names.map(generation)).toEqual(names.map(() => 1));
      expect(fake.secret(`${prefix}data-key-next`)).toBeUndefined();
      expect(json(await kms(['export'], awsEnv(prefix, NEW_PASSWORD)))).toEqual(before);
      const old = await kms(['export'], awsEnv(prefix, OLD_PASSWORD));
      expect(JSON.parse(old.stderr)).toEqual({ error: expect.stringMatching(/Wrong password/) });
    }, 300_000);
  });
});
