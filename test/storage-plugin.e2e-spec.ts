import { join } from 'node:path';
import {
  defineStorageProvider,
  envValue,
  STORAGE_PROVIDERS,
  VaultWalletStore,
  type PasswordSource,
} from '@kms/storage';
import { InMemoryVault } from '@kms/storage/testing';
import { json, tempDir } from './support/kms-cli';
import { runKmsInProcess } from './support/kms-in-process';

/**
 * A vault added by another package, without forking: a provider declared with the public API of
 * @kms/storage and handed to runCli (the hook TATUM_KMS_PLUGINS builds on). Its type, flag and
 * settings reach the command line, --help, checkconfig, migrate and the validation at start.
 */
const backend = new InMemoryVault();
interface MemoSettings {
  region: string;
  pages: number;
  passwordSecret?: string;
}
const MEMO_STORAGE = defineStorageProvider<MemoSettings>({
  type: 'memo',
  title: 'a test vault in memory',
  settings: [
    { env: 'TATUM_KMS_MEMO_REGION', shown: 'plain' },
    { env: 'TATUM_KMS_MEMO_PAGES', shown: 'plain' },
    { env: 'TATUM_KMS_MEMO_PASSWORD_SECRET', shown: 'secret' },
  ],
  passwordFlag: {
    name: 'memo',
    description: 'read the store password from the memo vault',
    storeName: 'MEMO',
  },
  parse: (env) => ({
    region: envValue(env, 'TATUM_KMS_MEMO_REGION') ?? 'here',
    pages: Number(envValue(env, 'TATUM_KMS_MEMO_PAGES') ?? 1),
    passwordSecret: envValue(env, 'TATUM_KMS_MEMO_PASSWORD_SECRET'),
  }),
  validate: ({ pages }) =>
    Number.isInteger(pages) && pages > 0 ? [] : ['TATUM_KMS_MEMO_PAGES must be a whole number above 0'],
  load: async () => ({
    openStore: (_settings, passwords, context) =>
      new VaultWalletStore(backend, passwords, context.secretPrefix, { scryptCost: { N: 1024, r: 8, p: 1 } }),
    openPasswordSource: (settings): PasswordSource => ({
      origin: 'memo',
      password: async () => (await backend.get(settings.passwordSecret ?? 'missing')) ?? '',
    }),
  }),
});

describe('a storage provider from a plugin (runCli extensions)', () => {
  const { dir, cleanup } = tempDir('kms-e2e-plugin-');
  afterAll(cleanup);
  const env = { HOME: dir, TATUM_KMS_PASSWORD: 'plugin-store-password' };
  const kms = (args: string[], extra: Record<string, string | undefined> = {}) =>
    runKmsInProcess(args, { env: { ...env, ...extra }, extensions: { storageProviders: [MEMO_STORAGE] } });

  it('stores and reads wallets in the plugin vault, named by --storage', async () => {
    const batch = await kms(['generatemanagedprivatekeybatch', 'ETH', '3', '--storage', 'memo']);
    expect(batch.code).toBe(0);
    const ids = batch.stdout
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { signatureId: string }).signatureId);
    expect(Object.keys(json(await kms(['export'], { TATUM_KMS_STORAGE: 'memo' }))).sort()).toEqual(
      ids.sort(),
    );
    expect([...backend.secrets.keys()].filter((name) => ids.some((id) => name.endsWith(id)))).toHaveLength(3);
  });

  it('lists its flag and type in --help, and its variables in checkconfig as declared', async () => {
    const help = (await kms(['export', '--help'])).stdout.replace(/\s+/g, ' ');
    expect(help).toContain(`wallet store: ${STORAGE_PROVIDERS[0].type} (default),`);
    expect(help).toMatch(/or memo; or TATUM_KMS_STORAGE/);
    expect(help).toContain('--memo read the store password from the memo vault');
    const config = await kms(['checkconfig', '--storage', 'memo', '--memo'], {
      TATUM_KMS_MEMO_PASSWORD_SECRET: 'name-of-the-secret',
      TATUM_KMS_MEMO_REGION: 'eu-test-1',
    });
    expect(config.code).toBe(0);
    expect(config.stdout).toMatch(/^Storage provider\s*: memo$/m);
    expect(config.stdout).toMatch(/^Wallet store type\s*: MEMO$/m);
    expect(config.stdout).toMatch(/^TATUM_KMS_MEMO_REGION\s*: eu-test-1$/m);
    expect(config.stdout).toMatch(/^TATUM_KMS_MEMO_PASSWORD_SECRET\s*: \*+ \(set\)$/m);
    expect(config.stdout).not.toContain('name-of-the-secret');
  });

  it('reads the store password through its flag, and migrates to and from it', async () => {
    await backend.put('memo-password', 'plugin-store-password', {});
    const path = join(dir, 'migrated.dat');
    const noEnvPassword = { TATUM_KMS_PASSWORD: undefined, TATUM_KMS_MEMO_PASSWORD_SECRET: 'memo-password' };
    const migrated = await kms(
      ['migrate', '--from', 'memo', '--to', 'file', '--memo', '--path', path],
      noEnvPassword,
    );
    expect(json(migrated)).toMatchObject({ migrated: 3, verified: 3, from: 'memo', to: 'file' });
    const fromFile = json(await kms(['export', '--path', path, '--memo'], noEnvPassword));
    expect(fromFile).toEqual(json(await kms(['export', '--storage', 'memo'])));
  });

  it('validates its settings at every start: one clear error, even for a command without the store', async () => {
    const run = await kms(['generatewallet', 'BTC'], { TATUM_KMS_MEMO_PAGES: 'many' });
    expect(run.code).not.toBe(0);
    expect(run.stdout).toBe('');
    expect(JSON.parse(run.stderr)).toEqual({
      error: 'Invalid configuration: TATUM_KMS_MEMO_PAGES must be a whole number above 0',
    });
  });

  it('refuses a plugin provider whose type or flag is taken', async () => {
    const clash = await runKmsInProcess(['generatewallet', 'BTC'], {
      env,
      extensions: {
        storageProviders: [{ ...MEMO_STORAGE, type: STORAGE_PROVIDERS[0].type, passwordFlag: undefined }],
      },
    });
    expect(clash.code).not.toBe(0);
    expect(JSON.parse(clash.stderr).error).toMatch(/two storage providers declare the type/);
  });
});
