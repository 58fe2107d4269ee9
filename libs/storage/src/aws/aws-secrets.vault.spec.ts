import {
  FAKE_AWS_CREDENTIALS,
  FakeAwsSecretsManager,
} from '@kms/test-support/fake-aws-secrets-manager';
import { VaultError } from '../storage.errors';
import { AwsSecretsVault } from './aws-secrets.vault';
import { AWS_STORAGE } from './aws.provider';
import type { AwsSettings } from './aws.settings';

const CONTEXT = { walletPath: '/nowhere/wallet.dat' };

/** The real SDK client against the JSON 1.1 fake (endpoint override); nothing is mocked. */
describe('AwsSecretsVault', () => {
  let fake: FakeAwsSecretsManager;
  let config: AwsSettings;
  let vault: AwsSecretsVault;

  const configFor = (env: Record<string, string | undefined>) =>
    AWS_STORAGE.parse(
      {
        TATUM_KMS_AWS_REGION: 'eu-west-1',
        TATUM_KMS_AWS_ENDPOINT: fake.url,
        TATUM_KMS_AWS_ACCESS_KEY_ID: FAKE_AWS_CREDENTIALS.accessKeyId,
        TATUM_KMS_AWS_SECRET_ACCESS_KEY: FAKE_AWS_CREDENTIALS.secretAccessKey,
        ...env,
      },
      CONTEXT,
    );
  const collect = async <T>(items: AsyncIterable<T>): Promise<T[]> => {
    const result: T[] = [];
    for await (const item of items) result.push(item);
    return result;
  };
  const failure = async (promise: Promise<unknown>): Promise<VaultError> => {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(VaultError);
    return error as VaultError;
  };
  /** Everything an error could print: its message, and its cause's message and own fields. */
  const printable = (error: Error): string =>
    [error.message, String(error.cause), JSON.stringify(error.cause ?? null), JSON.stringify(error)].join(
      '\n',
    );

  beforeAll(async () => {
    fake = await FakeAwsSecretsManager.start({ region: 'eu-west-1' });
  });
  afterAll(() => fake.stop());
  beforeEach(() => {
    fake.removeAll();
    fake.resetCalls();
    fake.clearFaults();
    config = configFor({});
    vault = new AwsSecretsVault(config);
  });

  it('creates, reads, overwrites and deletes a secret, one call each (three to overwrite)', async () => {
    await vault.put('kms-a', 'first', { chain: 'ETH', testnet: 'false' });
    expect(fake.calls).toEqual({ CreateSecret: 1 });
    await expect(vault.get('kms-a')).resolves.toBe('first');

    await vault.put('kms-a', 'second', { chain: 'BTC' });
    expect(fake.secret('kms-a')).toMatchObject({ value: 'second', tags: { chain: 'BTC', testnet: 'false' } });
    await expect(vault.get('kms-a')).resolves.toBe('second');

    await vault.delete('kms-a');
    expect(fake.names()).toEqual([]);
    await expect(vault.get('kms-a')).resolves.toBeUndefined();
    await vault.delete('kms-a');
    expect(fake.calls).toEqual({
      CreateSecret: 2,
      PutSecretValue: 1,
      TagResource: 1,
      GetSecretValue: 3,
      DeleteSecret: 2,
    });
    expect(vault.calls).toBe(9);
    expect(vault.attempts).toBe(9);
  });

  it('createIfAbsent creates only a new secret, with one call', async () => {
    await expect(vault.createIfAbsent('kms-key', 'one', { kind: 'key' })).resolves.toBe(true);
    await expect(vault.createIfAbsent('kms-key', 'two', { kind: 'key' })).resolves.toBe(false);
    expect(fake.secret('kms-key')?.value).toBe('one');
    expect(fake.calls).toEqual({ CreateSecret: 2 });
  });

  it('lists names and tags by prefix and exact tags, without reading values', async () => {
    fake.seed('kms-1', 'v', { kind: 'kms-wallet', store: 'kms-', chain: 'ETH', testnet: 'false' });
    fake.seed('kms-2', 'v', { kind: 'kms-wallet', store: 'kms-', chain: 'ETH', testnet: 'true' });
    fake.seed('kms-3', 'v', { kind: 'kms-wallet', store: 'kms-', chain: 'ETHW', testnet: 'false' });
    fake.seed('kms-4', 'v', { kind: 'kms-wallet', store: 'kms-', chain: 'BTC', testnet: 'false' });
    fake.seed('kms-5', 'v', { kind: 'kms-wallet', store: 'kms-', other: 'ETH', testnet: 'false' });
    fake.seed('kms-x-6', 'v', { kind: 'kms-wallet', store: 'kms-x-', chain: 'ETH', testnet: 'false' });
    fake.seed('other-7', 'v', { kind: 'kms-wallet', store: 'kms-', chain: 'ETH', testnet: 'false' });

    const eth = await collect(
      vault.list('kms-', { kind: 'kms-wallet', store: 'kms-', chain: 'ETH', testnet: 'false' }),
    );
    expect(eth).toEqual([
      { name: 'kms-1', tags: { kind: 'kms-wallet', store: 'kms-', chain: 'ETH', testnet: 'false' } },
    ]);
    const all = await collect(vault.list('kms-'));
    expect(all.map(({ name }) => name)).toEqual(['kms-1', 'kms-2', 'kms-3', 'kms-4', 'kms-5', 'kms-x-6']);
    expect(fake.calls).toEqual({ ListSecrets: 2 });
    // The service-side filter: the name prefix and the selective pair (chain), not kind/store/testnet.
    expect(fake.requests[0].filters).toEqual([
      { Key: 'name', Values: ['kms-'] },
      { Key: 'tag-key', Values: ['chain'] },
      { Key: 'tag-value', Values: ['ETH'] },
    ]);
    expect(fake.requests[1].filters).toEqual([{ Key: 'name', Values: ['kms-'] }]);
  });

  it('pages through more than 100 secrets, 100 per ListSecrets call', async () => {
    for (let i = 0; i < 250; i++) {
      fake.seed(`kms-${String(i).padStart(4, '0')}`, 'v', { chain: i % 5 === 0 ? 'BTC' : 'ETH' });
    }
    const all = await collect(vault.list('kms-'));
    expect(all).toHaveLength(250);
    expect(new Set(all.map(({ name }) => name)).size).toBe(250);
    expect(fake.calls.ListSecrets).toBe(3);
    expect(fake.requests.every(({ maxResults }) => maxResults === 100)).toBe(true);

    fake.resetCalls();
    const btc = await collect(vault.list('kms-', { chain: 'BTC' }));
    expect(btc).toHaveLength(50);
    expect(fake.calls.ListSecrets).toBe(1);
  });

  it('stops listing when the consumer stops (no further pages are fetched)', async () => {
    for (let i = 0; i < 150; i++) fake.seed(`kms-${String(i).padStart(4, '0')}`, 'v');
    for await (const _secret of vault.list('kms-')) break;
    expect(fake.calls.ListSecrets).toBe(1);
  });

  it('retries throttling (ThrottlingException) within the bound and then succeeds', async () => {
    fake.seed('kms-a', 'value');
    fake.failNext('throttle', 2, 'GetSecretValue');
    await expect(vault.get('kms-a')).resolves.toBe('value');
    expect(fake.calls.GetSecretValue).toBe(3);
    expect(vault.calls).toBe(1);
    expect(vault.attempts).toBe(3);
  });

  it('gives a VaultError when throttling lasts past the bound of 5 attempts', async () => {
    fake.seed('kms-a', 'value');
    fake.failNext('throttle', 100);
    const error = await failure(vault.get('kms-a'));
    expect(error.code).toBe('VAULT_ERROR');
    expect(error.message).toMatch(
      /^aws: Secrets Manager throttled GetSecretValue on secret kms-a \(ThrottlingException\) after 5 attempts/,
    );
    expect(fake.calls.GetSecretValue).toBe(5);
  }, 30_000);

  it('retries server errors and dropped connections', async () => {
    fake.failNext('server-error', 1, 'CreateSecret');
    fake.failNext('disconnect', 1, 'CreateSecret');
    await vault.put('kms-a', 'value', { chain: 'ETH' });
    expect(fake.secret('kms-a')?.value).toBe('value');
    expect(fake.calls.CreateSecret).toBe(3);
  });

  it('a lost CreateSecret answer is retried into an overwrite with the same value', async () => {
    fake.failNext('disconnect-after', 1, 'CreateSecret');
    await vault.put('kms-a', 'value', { chain: 'ETH' });
    expect(fake.secret('kms-a')).toMatchObject({ value: 'value', tags: { chain: 'ETH' } });
    expect(fake.calls).toEqual({ CreateSecret: 2, PutSecretValue: 1, TagResource: 1 });
  });

  it('a secret scheduled for deletion reads as missing, is not listed, and put restores it', async () => {
    fake.seed('kms-a', 'old', { chain: 'ETH' });
    fake.scheduleDeletion('kms-a');
    await expect(vault.get('kms-a')).resolves.toBeUndefined();
    await expect(collect(vault.list('kms-'))).resolves.toEqual([]);
    await expect(vault.createIfAbsent('kms-a', 'new', {})).rejects.toThrow(/scheduled for deletion/);

    await vault.put('kms-a', 'new', { chain: 'ETH' });
    expect(fake.secret('kms-a')).toMatchObject({ value: 'new' });
    expect(fake.secret('kms-a')?.deletionDate).toBeUndefined();
    expect(fake.calls.RestoreSecret).toBe(1);

    fake.scheduleDeletion('kms-a');
    await vault.delete('kms-a');
    expect(fake.names()).toEqual([]);
  });

  it('wrong credentials give a VaultError that names neither key, and are not retried', async () => {
    const secretKey = 'wrong/secret/key/value/never/printed/0001';
    const wrongSecret = new AwsSecretsVault(configFor({ TATUM_KMS_AWS_SECRET_ACCESS_KEY: secretKey }));
    const signature = await failure(wrongSecret.get('kms-a'));
    expect(signature.message).toMatch(/refused the credentials \(InvalidSignatureException\)/);
    expect(signature.message).toMatch(/TATUM_KMS_AWS_ACCESS_KEY_ID and TATUM_KMS_AWS_SECRET_ACCESS_KEY/);

    const unknownId = 'AKIAUNKNOWNKEYID0001';
    const wrongId = new AwsSecretsVault(
      configFor({ TATUM_KMS_AWS_ACCESS_KEY_ID: unknownId, TATUM_KMS_AWS_SECRET_ACCESS_KEY: secretKey }),
    );
    const unrecognized = await failure(wrongId.put('kms-a', 'the-secret-value', {}));
    expect(unrecognized.message).toMatch(/refused the credentials \(UnrecognizedClientException\)/);

    for (const error of [signature, unrecognized]) {
      for (const secret of [secretKey, unknownId, FAKE_AWS_CREDENTIALS.accessKeyId, 'the-secret-value']) {
        expect(printable(error)).not.toContain(secret);
      }
    }
    expect(fake.calls).toEqual({ GetSecretValue: 1, CreateSecret: 1 });
    expect(fake.names()).toEqual([]);
  });

  it('an unreachable endpoint gives a VaultError after bounded retries', async () => {
    const closed = await FakeAwsSecretsManager.start();
    await closed.stop();
    const offline = new AwsSecretsVault(configFor({ TATUM_KMS_AWS_ENDPOINT: closed.url }));
    const error = await failure(offline.get('kms-a'));
    expect(error.message).toBe(
      `aws: cannot reach Secrets Manager at ${closed.url} (connection refused) after 5 attempts`,
    );
    expect(offline.attempts).toBe(5);
    expect(printable(error)).not.toContain(FAKE_AWS_CREDENTIALS.secretAccessKey);
  });

  it('access denied is a VaultError naming the operation', async () => {
    fake.failNext('access-denied', 1);
    const error = await failure(vault.delete('kms-a'));
    expect(error.message).toBe(
      'aws: access denied: the AWS identity may not call secretsmanager:DeleteSecret on secret kms-a',
    );
  });

  it('refuses half a key pair at the first call, and the constructor makes no call', async () => {
    const half = new AwsSecretsVault(configFor({ TATUM_KMS_AWS_SECRET_ACCESS_KEY: undefined }));
    expect(half.calls).toBe(0);
    const error = await failure(half.get('kms-a'));
    expect(error.message).toMatch(/must be set together/);
    expect(fake.totalCalls).toBe(0);
  });

  it('describes itself by region and endpoint', () => {
    expect(vault.describe()).toEqual({ type: 'aws', location: `eu-west-1 at ${fake.url}` });
    expect(
      new AwsSecretsVault(AWS_STORAGE.parse({ TATUM_KMS_AWS_REGION: 'us-east-2' }, CONTEXT)).describe(),
    ).toEqual({ type: 'aws', location: 'us-east-2' });
  });
});
