import { Agent } from 'node:https';
import { AZURE_STORAGE } from './azure.provider';
import { FakeAzureKeyVault } from '@kms/test-support/fake-azure-key-vault';
import { AzurePasswordSource } from './azure-password.source';

describe('AzurePasswordSource', () => {
  let fake: FakeAzureKeyVault;
  let agent: Agent;

  beforeAll(async () => {
    fake = await FakeAzureKeyVault.start();
    agent = new Agent({ ca: fake.ca, keepAlive: true });
    fake.seed('kms-password', 'first-password');
    fake.seed('kms-password', 'current-password');
    fake.seed('kms-empty', '');
  });
  afterAll(async () => {
    agent.destroy();
    await fake.stop();
  });

  function source(env: Record<string, string | undefined> = {}): AzurePasswordSource {
    const config = AZURE_STORAGE.parse(
      {
        // tatum-kms users give the vault's host name without a scheme.
        TATUM_KMS_AZURE_VAULTURL: new URL(fake.url).host,
        TATUM_KMS_AZURE_SECRETNAME: 'kms-password',
        TATUM_KMS_AZURE_TENANT_ID: fake.tenantId,
        TATUM_KMS_AZURE_CLIENT_ID: fake.clientId,
        TATUM_KMS_AZURE_CLIENT_SECRET: fake.clientSecret,
        ...env,
      },
      { walletPath: '/nowhere/wallet.dat' },
    );
    return new AzurePasswordSource(config, {
      agent,
      authorityHost: fake.authorityHost,
      disableChallengeResourceVerification: true,
      retryDelayMs: 10,
      maxRetryDelayMs: 50,
    });
  }

  it('returns the current version of the secret, reading it once', async () => {
    const passwords = source();
    await expect(passwords.password()).resolves.toBe('current-password');
    const gets = fake.count('get');
    await expect(passwords.password()).resolves.toBe('current-password');
    expect(fake.count('get')).toBe(gets);
  });

  it('returns the version named by TATUM_KMS_AZURE_SECRETVERSION', async () => {
    const [first] = fake.versions('kms-password');
    await expect(source({ TATUM_KMS_AZURE_SECRETVERSION: first }).password()).resolves.toBe('first-password');
    expect(fake.requests.at(-1)!.path).toMatch(new RegExp(`^/secrets/kms-password/${first}\\?`));
  });

  it('fails with PASSWORD_REQUIRED when the secret is missing, deleted, empty or not configured', async () => {
    fake.seed('kms-gone', 'x');
    fake.softDelete('kms-gone');
    for (const env of [
      { TATUM_KMS_AZURE_SECRETNAME: 'kms-missing' },
      { TATUM_KMS_AZURE_SECRETNAME: 'kms-gone' },
      { TATUM_KMS_AZURE_SECRETNAME: 'kms-empty' },
      { TATUM_KMS_AZURE_SECRETNAME: undefined },
      { TATUM_KMS_AZURE_SECRETVERSION: '0123456789abcdef0123456789abcdef' },
    ])
      await expect(source(env).password()).rejects.toMatchObject({ code: 'PASSWORD_REQUIRED' });
  });

  it('fails with VAULT_ERROR, naming no credential, on wrong credentials or an unreachable vault', async () => {
    const wrong = 'wrong~client-secret';
    const refused = await source({ TATUM_KMS_AZURE_CLIENT_SECRET: wrong })
      .password()
      .catch((e: Error) => e);
    expect(refused).toMatchObject({ code: 'VAULT_ERROR' });
    expect((refused as Error).message).toMatch(/credentials were refused/);
    expect((refused as Error).message).not.toContain(wrong);
    const unreachable = await source({ TATUM_KMS_AZURE_VAULTURL: 'https://127.0.0.1:1' })
      .password()
      .catch((e: Error) => e);
    expect(unreachable).toMatchObject({ code: 'VAULT_ERROR' });
    expect((unreachable as Error).message).toMatch(/could not reach the vault/);
  });

  it('names its origin without the value', () => {
    const passwords = source();
    expect(passwords.origin).toBe(`Azure Key Vault secret kms-password in ${new URL(fake.url).host}`);
    expect(JSON.stringify(passwords)).not.toContain(fake.clientSecret);
    expect(require('node:util').inspect(passwords, { depth: 10 })).not.toContain(fake.clientSecret);
  });
});
