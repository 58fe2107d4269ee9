import {
  FAKE_AWS_CREDENTIALS,
  FakeAwsSecretsManager,
} from '@kms/test-support/fake-aws-secrets-manager';
import { AwsPasswordSource } from './aws-password.source';
import { AWS_STORAGE } from './aws.provider';

/** The real SDK client against the JSON 1.1 fake (endpoint override); nothing is mocked. */
describe('AwsPasswordSource', () => {
  const NAME = 'kms/store-password';
  const KEY = 'walletPassword';
  const PASSWORD = 'correct horse battery staple';
  let fake: FakeAwsSecretsManager;

  const source = (env: Record<string, string | undefined> = {}) =>
    new AwsPasswordSource(
      AWS_STORAGE.parse(
        {
          TATUM_KMS_AWS_REGION: 'us-east-1',
          TATUM_KMS_AWS_ENDPOINT: fake.url,
          TATUM_KMS_AWS_ACCESS_KEY_ID: FAKE_AWS_CREDENTIALS.accessKeyId,
          TATUM_KMS_AWS_SECRET_ACCESS_KEY: FAKE_AWS_CREDENTIALS.secretAccessKey,
          TATUM_KMS_AWS_SECRET_NAME: NAME,
          TATUM_KMS_AWS_SECRET_KEY: KEY,
          ...env,
        },
        { walletPath: '/nowhere/wallet.dat' },
      ),
    );

  beforeAll(async () => {
    fake = await FakeAwsSecretsManager.start();
  });
  afterAll(() => fake.stop());
  beforeEach(() => {
    fake.removeAll();
    fake.resetCalls();
  });

  it('returns the password under the configured key, asking the vault once', async () => {
    fake.seed(NAME, JSON.stringify({ other: 'x', [KEY]: PASSWORD }));
    const aws = source();
    expect(aws.origin).toBe('aws');
    await expect(aws.password()).resolves.toBe(PASSWORD);
    await expect(aws.password()).resolves.toBe(PASSWORD);
    expect(fake.calls).toEqual({ GetSecretValue: 1 });
    expect(JSON.stringify(aws)).not.toContain(FAKE_AWS_CREDENTIALS.secretAccessKey);
    expect(require('node:util').inspect(aws, { depth: 5 })).not.toContain(
      FAKE_AWS_CREDENTIALS.secretAccessKey,
    );
  });

  it.each([
    ['a missing secret', undefined, /does not exist/],
    ['a value that is not JSON', `${PASSWORD} not json`, /is not JSON/],
    ['a JSON value that is not an object', JSON.stringify([PASSWORD]), /is not a JSON object/],
    ['a JSON object without the key', JSON.stringify({ password: PASSWORD }), /has no key "walletPassword"/],
    ['an empty password', JSON.stringify({ [KEY]: '' }), /empty password/],
    ['a password that is not a string', JSON.stringify({ [KEY]: 12345678 }), /non-string/],
  ])('%s is PASSWORD_REQUIRED, never quoting the value', async (_case, value, message) => {
    if (value !== undefined) fake.seed(NAME, value);
    const error = await source()
      .password()
      .catch((e: Error) => e);
    expect(error).toMatchObject({ code: 'PASSWORD_REQUIRED', message: expect.stringMatching(message) });
    expect((error as Error).message).not.toContain(PASSWORD);
    expect((error as Error).message).not.toContain('12345678');
  });

  it('a secret scheduled for deletion is PASSWORD_REQUIRED', async () => {
    fake.seed(NAME, JSON.stringify({ [KEY]: PASSWORD }));
    fake.scheduleDeletion(NAME);
    await expect(source().password()).rejects.toMatchObject({ code: 'PASSWORD_REQUIRED' });
  });

  it('needs the secret name and key settings, and asks nothing without them', async () => {
    await expect(source({ TATUM_KMS_AWS_SECRET_NAME: undefined }).password()).rejects.toMatchObject({
      code: 'PASSWORD_REQUIRED',
      message: 'The --aws password source needs TATUM_KMS_AWS_SECRET_NAME',
    });
    await expect(
      source({ TATUM_KMS_AWS_SECRET_NAME: undefined, TATUM_KMS_AWS_SECRET_KEY: undefined }).password(),
    ).rejects.toThrow('needs TATUM_KMS_AWS_SECRET_NAME and TATUM_KMS_AWS_SECRET_KEY');
    expect(fake.totalCalls).toBe(0);
  });

  it('a failed fetch is not remembered: the next request asks again', async () => {
    const aws = source();
    await expect(aws.password()).rejects.toMatchObject({ code: 'PASSWORD_REQUIRED' });
    fake.seed(NAME, JSON.stringify({ [KEY]: PASSWORD }));
    await expect(aws.password()).resolves.toBe(PASSWORD);
    expect(fake.calls.GetSecretValue).toBe(2);
  });

  it('wrong credentials are a VaultError without the credentials', async () => {
    fake.seed(NAME, JSON.stringify({ [KEY]: PASSWORD }));
    const wrong = 'wrong/secret/for/the/password/source/01';
    const error = await source({ TATUM_KMS_AWS_SECRET_ACCESS_KEY: wrong })
      .password()
      .catch((e: Error) => e);
    expect(error).toMatchObject({
      code: 'VAULT_ERROR',
      message: expect.stringMatching(/refused the credentials/),
    });
    expect((error as Error).message).not.toContain(wrong);
    expect((error as Error).message).not.toContain(PASSWORD);
  });
});
