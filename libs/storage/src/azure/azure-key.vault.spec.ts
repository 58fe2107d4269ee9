import { Agent } from 'node:https';
import { AZURE_STORAGE } from './azure.provider';
import type { AzureSettings } from './azure.settings';
import { FakeAzureKeyVault } from '@kms/test-support/fake-azure-key-vault';
import { VaultError } from '../storage.errors';
import { azureName, AzureKeyVault } from './azure-key.vault';
import type { AzureConnectionOptions } from './azure-key-vault.connection';

type Listed = { name: string; tags: Record<string, string> };

/** The real SDK clients against the HTTPS fake (bearer challenge, token endpoint, paging, faults). */
describe('AzureKeyVault', () => {
  let fake: FakeAzureKeyVault;
  let agent: Agent;

  beforeAll(async () => {
    fake = await FakeAzureKeyVault.start();
    agent = new Agent({ ca: fake.ca, keepAlive: true });
  });
  afterAll(async () => {
    agent.destroy();
    await fake.stop();
  });
  afterEach(() => fake.clearFaults());

  function config(target: FakeAzureKeyVault, env: Record<string, string | undefined> = {}): AzureSettings {
    return AZURE_STORAGE.parse(
      {
        TATUM_KMS_AZURE_VAULTURL: target.url,
        TATUM_KMS_AZURE_TENANT_ID: target.tenantId,
        TATUM_KMS_AZURE_CLIENT_ID: target.clientId,
        TATUM_KMS_AZURE_CLIENT_SECRET: target.clientSecret,
        ...env,
      },
      { walletPath: '/nowhere/wallet.dat' },
    );
  }

  /** A vault on `fake` trusting its certificate, with short back-off delays. */
  function vault(
    env: Record<string, string | undefined> = {},
    options: AzureConnectionOptions = {},
  ): AzureKeyVault {
    return new AzureKeyVault(config(fake, env), {
      agent,
      authorityHost: fake.authorityHost,
      disableChallengeResourceVerification: true,
      retryDelayMs: 10,
      maxRetryDelayMs: 50,
      ...options,
    });
  }

  async function collect(iterable: AsyncIterable<Listed>): Promise<Listed[]> {
    const items: Listed[] = [];
    for await (const item of iterable) items.push(item);
    return items;
  }

  it('writes, reads, overwrites and deletes a secret with its tags', async () => {
    const v = vault();
    const name = 'spec-round-trip-1';
    await v.put(name, 'value-1', { kind: 'kms-wallet', chain: 'ETH' });
    expect(fake.value(name)).toBe('value-1');
    expect(fake.tags(name)).toEqual({ kind: 'kms-wallet', chain: 'ETH' });
    await expect(v.get(name)).resolves.toBe('value-1');
    await v.put(name, 'value-2', { kind: 'kms-wallet', chain: 'BTC' });
    await expect(v.get(name)).resolves.toBe('value-2');
    await v.delete(name);
    await expect(v.get(name)).resolves.toBeUndefined();
    expect(fake.isDeleted(name)).toBe(false); // purged, not only soft-deleted
    await expect(v.delete(name)).resolves.toBeUndefined(); // a missing secret is not an error
    await expect(v.get('spec-never-written')).resolves.toBeUndefined();
  });

  it('authenticates through the bearer challenge and the token endpoint once per client', async () => {
    const v = vault();
    const before = fake.requests.length;
    await v.put('spec-challenge', 'x', {});
    await v.get('spec-challenge');
    const routes = fake.requests.slice(before).map((r) => `${r.route}:${r.status}`);
    expect(routes).toEqual(['set:401', 'metadata:200', 'token:200', 'set:200', 'get:200']);
    expect(v.calls).toBe(5);
  });

  it('answers the challenge on the first call alone, so concurrent first writes keep their bodies', async () => {
    const v = vault();
    await Promise.all(Array.from({ length: 8 }, (_, i) => v.put(`spec-concurrent-${i}`, `value-${i}`, {})));
    for (let i = 0; i < 8; i++) expect(fake.value(`spec-concurrent-${i}`)).toBe(`value-${i}`);
  });

  it('lists names and tags by prefix and tags across pages, without reading values', async () => {
    const v = vault();
    for (let i = 0; i < 60; i++)
      fake.seed(`spec-list-${String(i).padStart(3, '0')}`, 'secret', {
        kind: 'kms-wallet',
        chain: i % 2 ? 'ETH' : 'BTC',
        testnet: 'false',
      });
    fake.seed('spec-listx-other', 'secret', { kind: 'kms-wallet', chain: 'ETH', testnet: 'false' });
    const before = fake.requests.length;
    const eth = await collect(v.list('spec-list-', { kind: 'kms-wallet', chain: 'ETH' }));
    expect(eth).toHaveLength(30);
    expect(eth[0]).toEqual({
      name: 'spec-list-001',
      tags: { kind: 'kms-wallet', chain: 'ETH', testnet: 'false' },
    });
    await expect(collect(v.list('spec-list-'))).resolves.toHaveLength(60);
    const requests = fake.requests.slice(before);
    expect(requests.every((r) => ['list', 'metadata', 'token'].includes(r.route))).toBe(true);
    const pages = Math.ceil(fake.names().length / 25);
    expect(pages).toBeGreaterThan(2);
    expect(requests.filter((r) => r.route === 'list' && r.status === 200)).toHaveLength(2 * pages);
  });

  it('stores names Key Vault does not allow under a stand-in and lists them by their own name', async () => {
    const v = vault();
    const name = 'spec.odd_name/1';
    await v.put(name, 'odd', { kind: 'kms-wallet' });
    expect(fake.value(azureName(name))).toBe('odd');
    await expect(v.get(name)).resolves.toBe('odd');
    await expect(collect(v.list('spec.odd_'))).resolves.toEqual([{ name, tags: { kind: 'kms-wallet' } }]);
    await v.delete(name);
    await expect(v.get(name)).resolves.toBeUndefined();
    const uuidName = 'tatum-kms-2b1c6f0e-7a51-4f7e-9d5b-1c2a3b4c5d6e';
    expect(azureName(uuidName)).toBe(uuidName);
    expect(azureName('x'.repeat(200))).toMatch(/^[0-9A-Za-z-]{1,127}$/);
  });

  it('retries 429 with Retry-After and then succeeds', async () => {
    const v = vault();
    await v.put('spec-throttle', 'before', {});
    fake.failNext('get', { status: 429, retryAfter: 0 }, 2);
    const started = fake.count('get');
    await expect(v.get('spec-throttle')).resolves.toBe('before');
    expect(fake.count('get') - started).toBe(3);
  });

  it('shortens a long Retry-After and gives up past the retry bound with a VaultError', async () => {
    const v = vault({}, { maxRetries: 2, maxRetryAfterMs: 20 });
    await v.put('spec-throttled', 'x', {});
    fake.failNext('set', { status: 429, retryAfter: 3600 }, 10);
    const before = fake.count('set');
    const started = Date.now();
    const error = await v.put('spec-throttled', 'y', {}).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(error).toBeInstanceOf(VaultError);
    expect((error as VaultError).message).toMatch(/throttled while writing secret spec-throttled/);
    expect(fake.count('set') - before).toBe(3);
    expect(fake.value('spec-throttled')).toBe('x');
  });

  it('retries a 500 and a dropped connection', async () => {
    const v = vault();
    await v.put('spec-flaky', 'ok', {});
    fake.failNext('get', 500);
    fake.failNext('get', 'close');
    await expect(v.get('spec-flaky')).resolves.toBe('ok');
  });

  it('fails with a VaultError that names no credential when the client secret is wrong', async () => {
    const wrongSecret = 'wrong~secret-value-that-must-not-leak';
    const v = vault({ TATUM_KMS_AZURE_CLIENT_SECRET: wrongSecret });
    const error = (await v.get('spec-anything').catch((e: unknown) => e)) as VaultError;
    expect(error).toBeInstanceOf(VaultError);
    expect(error.code).toBe('VAULT_ERROR');
    expect(error.message).toMatch(
      /credentials were refused while reading secret spec-anything \(invalid_client\)/,
    );
    const shown = `${error.message} ${String(error.cause)} ${JSON.stringify(error)}`;
    expect(shown).not.toContain(wrongSecret);
    expect(shown).not.toContain(fake.clientSecret);
  });

  it('fails with a VaultError when the vault is unreachable, without the value it was writing', async () => {
    const v = vault({ TATUM_KMS_AZURE_VAULTURL: 'https://127.0.0.1:1' }, { maxRetries: 1 });
    const error = (await v.put('spec-x', 'secret-value', {}).catch((e: unknown) => e)) as VaultError;
    expect(error).toBeInstanceOf(VaultError);
    expect(error.message).toMatch(/could not reach the vault \(ECONNREFUSED\) while writing secret spec-x/);
    expect(`${error.message} ${String(error.cause)}`).not.toContain('secret-value');
  });

  it('fails when the certificate is not trusted, and when the challenge names another domain', async () => {
    const untrusted = new AzureKeyVault(config(fake), {
      authorityHost: fake.authorityHost,
      disableChallengeResourceVerification: true,
      maxRetries: 0,
    });
    await expect(untrusted.get('spec-x')).rejects.toThrow(/TLS certificate is not trusted/);
    const verifying = vault({}, { disableChallengeResourceVerification: false });
    await expect(verifying.get('spec-x')).rejects.toThrow(
      /TATUM_KMS_AZURE_DISABLE_CHALLENGE_VERIFICATION=true/,
    );
  });

  it('fails when no answer comes in time', async () => {
    const v = vault({}, { requestTimeoutMs: 200 });
    await v.put('spec-slow', 'x', {});
    fake.failNext('get', 'hang');
    await expect(v.get('spec-slow')).rejects.toThrow(/no answer in time while reading secret spec-slow/);
  });

  it('reads a soft-deleted secret as missing and writes its name again (purging it)', async () => {
    const v = vault();
    await v.put('spec-deleted', 'old', { chain: 'ETH' });
    fake.softDelete('spec-deleted'); // deleted elsewhere (portal, az CLI), not purged: the name stays taken
    await expect(v.get('spec-deleted')).resolves.toBeUndefined();
    await v.put('spec-deleted', 'new', { chain: 'BTC' });
    await expect(v.get('spec-deleted')).resolves.toBe('new');
    expect(fake.tags('spec-deleted')).toEqual({ chain: 'BTC' });
  });

  it('under purge protection, leaves a deleted secret soft-deleted and recovers the name to write it again', async () => {
    const guarded = await FakeAzureKeyVault.start({ purgeProtection: true, deletionDelayMs: 300 });
    const guardedAgent = new Agent({ ca: guarded.ca });
    try {
      const v = new AzureKeyVault(config(guarded), {
        agent: guardedAgent,
        authorityHost: guarded.authorityHost,
        disableChallengeResourceVerification: true,
      });
      await v.put('spec-protected', 'old', {});
      await v.delete('spec-protected'); // waits for the deletion to complete; the purge is refused
      expect(guarded.isDeleted('spec-protected')).toBe(true);
      await expect(v.get('spec-protected')).resolves.toBeUndefined();
      await v.put('spec-protected', 'new', {});
      await expect(v.get('spec-protected')).resolves.toBe('new');
    } finally {
      guardedAgent.destroy();
      await guarded.stop();
    }
  });

  it('describes itself by host only, and needs a vault URL only when used', async () => {
    expect(vault().describe()).toEqual({ type: 'azure', location: new URL(fake.url).host });
    expect(vault({ TATUM_KMS_AZURE_VAULTURL: 'myvault.vault.azure.net' }).describe()).toEqual({
      type: 'azure',
      location: 'myvault.vault.azure.net',
    });
    const unset = vault({ TATUM_KMS_AZURE_VAULTURL: undefined });
    expect(unset.describe().location).toBe('unset');
    await expect(unset.get('x')).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
    const partial = vault({ TATUM_KMS_AZURE_CLIENT_ID: undefined });
    await expect(partial.get('x')).rejects.toThrow(/TATUM_KMS_AZURE_CLIENT_SECRET needs/);
  });
});
