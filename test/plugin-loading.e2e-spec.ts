import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FakeTatumApi } from './support/fake-tatum-api';
import { json, runKms, tempDir } from './support/kms-cli';
import { writeTestWalletFile } from './support/wallet-files';

/**
 * Plugins load without forking: the built CLI, unmodified, loads the chain plugin named by
 * TATUM_KMS_PLUGINS (or --plugins), stores a wallet of its chain and signs and broadcasts its pending
 * transaction through the plugin's own Tatum path. A plugin that cannot be used stops the run with one
 * `{"error"}` naming it.
 */
const PASSWORD = 'plugin-loading-password';
const API_KEY = 'plugin-loading-api-key';
const ZZT_PLUGIN = join(__dirname, 'fixtures', 'plugins', 'zzt-chain');
const NOT_A_MODULE = join(__dirname, 'fixtures', 'plugins', 'not-a-module');

describe('TATUM_KMS_PLUGINS / --plugins', () => {
  const { dir, cleanup } = tempDir();
  let api: FakeTatumApi;
  const path = join(dir, 'plugins.dat');
  const env = (extra: Record<string, string> = {}) => ({
    TATUM_KMS_PASSWORD: PASSWORD,
    TATUM_API_URL: api.url,
    HOME: dir,
    ...extra,
  });

  beforeAll(async () => {
    api = await FakeTatumApi.start({ apiKey: API_KEY });
    await writeTestWalletFile(path, PASSWORD);
  });
  afterAll(async () => {
    await api.stop();
    cleanup();
  });

  it('a plugin chain stores a wallet, then signs and broadcasts through its own path with daemon --runOnce', async () => {
    const stored = await runKms(['storemanagedprivatekey', 'ZZT', '--testnet', '--path', path], {
      env: env({ TATUM_KMS_PLUGINS: ZZT_PLUGIN }),
      input: 'zzt-key\n',
    });
    const { signatureId } = json<{ signatureId: string }>(stored);
    api.setNonce('zzt-address', 3);
    api.addPending({ id: 'zzt-1', chain: 'ZZT', serializedTransaction: 'zzt:pay', hashes: [signatureId] });

    const daemonArgs = [
      'daemon',
      '--runOnce',
      '--testnet',
      '--chain',
      'ZZT',
      '--path',
      path,
      '--apiKey',
      API_KEY,
    ];
    const run = await runKms(daemonArgs, { env: env(), timeoutMs: 60_000 });
    // Without the plugin the chain is unknown: nothing is asked or sent.
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('ZZT');
    expect(api.broadcasts).toEqual([]);

    // The flag form, as a user of the Docker image passes it.
    const withPlugin = await runKms([...daemonArgs, `--plugins=${ZZT_PLUGIN}`], {
      env: env(),
      timeoutMs: 60_000,
    });
    expect(withPlugin.code).toBe(0);
    expect(api.requests.filter((request) => request.path.startsWith('/v3/zzt/')).map((r) => r.path)).toEqual([
      '/v3/zzt/transaction/count/zzt-address',
      '/v3/zzt/broadcast',
    ]);
    expect(api.broadcasts).toMatchObject([
      { path: 'zzt', txData: 'zzt:pay|nonce=3|zzt-key', signatureId: 'zzt-1' },
    ]);
  }, 120_000);

  it.each([
    [
      'a missing package',
      'no-such-kms-plugin',
      /^Plugin "no-such-kms-plugin" could not be loaded: cannot find module/,
    ],
    [
      'a missing path',
      './no/such/plugin',
      /^Plugin "\.\/no\/such\/plugin" could not be loaded: cannot find module/,
    ],
    ['a module that exports no Nest module', NOT_A_MODULE, /exports no Nest module/],
  ])('%s stops every command with one error naming it', async (_case, plugin, message) => {
    const run = await runKms(['export', '--path', path], {
      env: env({ TATUM_KMS_PLUGINS: `${ZZT_PLUGIN},${plugin}` }),
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    const { error } = JSON.parse(lines[0]) as { error: string };
    expect(error).toMatch(message);
    expect(error).toContain(plugin);
  });
});

describe('TATUM_KMS_PLUGINS: a storage provider from a plugin', () => {
  const DIR_VAULT = join(__dirname, 'fixtures', 'plugins', 'dir-vault');
  const { dir, cleanup } = tempDir('kms-e2e-vault-plugin-');
  afterAll(cleanup);
  const vault = join(dir, 'vault');
  const kms = (args: string[], extra: Record<string, string> = {}) =>
    runKms(args, {
      env: {
        HOME: dir,
        TATUM_KMS_PASSWORD: 'vault-plugin-password',
        TATUM_KMS_PLUGINS: DIR_VAULT,
        TATUM_KMS_DIRVAULT_PATH: vault,
        ...extra,
      },
    });

  it('stores wallets in the plugin vault, encrypted, and lists its settings in checkconfig', async () => {
    const batch = await kms(['generatemanagedprivatekeybatch', 'ETH', '2', '--storage', 'dirvault']);
    expect(batch.code).toBe(0);
    const ids = batch.stdout
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { signatureId: string }).signatureId);
    const exported = JSON.parse((await kms(['export'], { TATUM_KMS_STORAGE: 'dirvault' })).stdout) as Record<
      string,
      { privateKey: string }
    >;
    expect(Object.keys(exported).sort()).toEqual([...ids].sort());
    const files = readdirSync(vault).map((file) => readFileSync(join(vault, file), 'utf8'));
    expect(files.length).toBeGreaterThanOrEqual(3); // two wallets and the data key
    for (const key of Object.values(exported).map((entry) => entry.privateKey))
      expect(files.join()).not.toContain(key.replace(/^0x/, ''));
    const config = await kms(['checkconfig', '--storage', 'dirvault']);
    expect(config.stdout).toContain('TATUM_KMS_DIRVAULT_PATH');
  });

  it('a bad setting of the plugin vault stops every command with one error', async () => {
    const run = await kms(['export'], { TATUM_KMS_DIRVAULT_PATH: 'relative/path' });
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stderr.trim()).error).toMatch(/TATUM_KMS_DIRVAULT_PATH must be an absolute path/);
  });
});
