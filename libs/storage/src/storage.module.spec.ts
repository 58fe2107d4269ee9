import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { Prompter } from '@kms/common';
import { buildKmsConfig } from '@kms/config';
import { FileWalletStore } from './file/file-wallet.store';
import { loadImplementation } from './provider-unavailable.error';
import { resolveStorage } from './resolve-storage';
import { defineStorageProvider } from './storage-provider';
import { STORAGE_PROVIDERS } from './storage-providers';
import { createPasswordSource, openWalletStore } from './storage.module';
import { VaultWalletStore } from './vault/vault-wallet.store';

const ROOT = join(__dirname, '..', '..', '..');
const REGISTER_TS = join(ROOT, 'bench', 'support', 'register-ts.js');

/** Runs `script` in a fresh Node process that can require the TypeScript sources. */
function inFreshNode(script: string): unknown {
  const out = execFileSync(process.execPath, ['-r', REGISTER_TS, '-e', script], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: tmpdir() },
  });
  return JSON.parse(out.trim().split('\n').pop()!);
}

const run = (flags: Record<string, string | boolean>, env: Record<string, string | undefined>) => {
  const config = buildKmsConfig(flags, env);
  return { config, storage: resolveStorage(STORAGE_PROVIDERS, flags, env, config) };
};

describe('storage providers', () => {
  it('opens the file store (and the vgs one) without loading any cloud SDK', () => {
    const loaded = inFreshNode(`
      (async () => {
        const storage = require('./libs/storage/src');
        const { openWalletStore, createPasswordSource } = require('./libs/storage/src/storage.module');
        const { buildKmsConfig } = require('./libs/config/src');
        const env = { TATUM_KMS_PASSWORD: 'x' };
        const config = buildKmsConfig({}, env);
        const resolved = storage.resolveStorage(storage.STORAGE_PROVIDERS, {}, env, config);
        const passwords = createPasswordSource(resolved, config, null);
        const file = await openWalletStore(resolved, config, passwords);
        if (!(file instanceof storage.FileWalletStore)) throw new Error('not the file store');
        (await openWalletStore(resolved, config, passwords, 'vgs')).describe();
        const sdk = Object.keys(require.cache).filter((path) => /[\\\\/]node_modules[\\\\/]@(aws-sdk|azure|smithy)[\\\\/]/.test(path));
        console.log(JSON.stringify({ sdk, modules: Object.keys(require.cache).length }));
      })();
    `) as { sdk: string[]; modules: number };
    expect(loaded.modules).toBeGreaterThan(10); // the probe did load the storage lib
    expect(loaded.sdk).toEqual([]);
  });

  it('opens the store of each type with its own settings, and the password source of the flag given', async () => {
    const { config, storage } = run(
      { vgs: true },
      {
        TATUM_KMS_VGS_URL: 'http://127.0.0.1:9',
        TATUM_KMS_VGS_USERNAME: 'user',
        TATUM_KMS_VGS_PASSWORD: 'secret',
      },
    );
    expect(storage.passwordSource).toBe('vgs');
    const passwords = createPasswordSource(storage, config, new Prompter());
    expect(passwords.origin).toMatch(/VGS/);
    await expect(openWalletStore(storage, config, passwords, 'file')).resolves.toBeInstanceOf(
      FileWalletStore,
    );
    const vgs = await openWalletStore(storage, config, passwords, 'VGS');
    expect(vgs).toBeInstanceOf(VaultWalletStore);
    expect(vgs.describe()).toEqual({
      type: 'vgs',
      location: `http://127.0.0.1:9 (index ${join(config.walletPath, '..', 'vgs-index.dat')})`,
    });
    expect(JSON.stringify(storage.settings('vgs'))).not.toContain('secret');
  });

  it('takes the password from TATUM_KMS_PASSWORD, else the prompt', () => {
    expect(run({}, { TATUM_KMS_PASSWORD: 'pw' }).storage.passwordSource).toBe('env');
    expect(run({}, {}).storage.passwordSource).toBe('prompt');
  });

  it('validates every provider at start and names each bad setting, never its value', () => {
    let error: Error | undefined;
    try {
      run(
        { storage: 'floppy', aws: true, vgs: true },
        {
          TATUM_KMS_AWS_ENDPOINT: 'ftp://user:hunter2@example.com',
          TATUM_KMS_VGS_URL: 'nope',
          TATUM_KMS_AZURE_VAULTURL: 'http://plain.example.com',
          TATUM_KMS_SECRET_PREFIX: 'no spaces',
          TATUM_KMS_VAULT_LIST_TTL: 'abc',
        },
      );
    } catch (caught) {
      error = caught as Error;
    }
    expect(error).toMatchObject({ code: 'INVALID_CONFIG' });
    expect((error as unknown as { problems: string[] }).problems).toEqual([
      '--storage / TATUM_KMS_STORAGE must be one of file, aws, azure, vgs',
      '--aws, --azure and --vgs are exclusive (got --aws, --vgs)',
      'TATUM_KMS_AWS_ENDPOINT must be an http(s) URL',
      'TATUM_KMS_AZURE_VAULTURL must be a vault host name or an https:// URL',
      'TATUM_KMS_VGS_URL must be an http(s) URL',
      'TATUM_KMS_SECRET_PREFIX must be 1-64 letters, digits or /_+=.@-',
      'TATUM_KMS_VAULT_LIST_TTL must be a number of seconds from 0 to 86400',
    ]);
    expect(error!.message).not.toMatch(/hunter2|floppy|nope/);
  });

  it('shows each declared variable as its provider says: secrets as set, URLs without credentials', () => {
    const { storage } = run(
      {},
      {
        TATUM_KMS_AWS_SECRET_ACCESS_KEY: 'aws-secret',
        TATUM_KMS_AWS_REGION: 'eu-west-1',
        TATUM_KMS_VGS_URL: 'https://u:p@vault.example.com',
      },
    );
    const shown = Object.fromEntries(storage.shown);
    expect(shown).toMatchObject({
      TATUM_KMS_AWS_SECRET_ACCESS_KEY: '******** (set)',
      TATUM_KMS_AWS_REGION: 'eu-west-1',
      TATUM_KMS_VGS_URL: 'https://***:***@vault.example.com/',
      TATUM_KMS_AZURE_CLIENT_SECRET: 'N/A',
    });
    for (const provider of STORAGE_PROVIDERS)
      for (const { env } of provider.settings) expect(shown).toHaveProperty([env]);
  });

  it('takes a provider from a plugin, and refuses one whose type or flag is taken', async () => {
    const opened: string[] = [];
    const hsm = defineStorageProvider<{ slot?: string }>({
      type: 'hsm',
      title: 'a test HSM',
      settings: [{ env: 'TATUM_KMS_HSM_SLOT', shown: 'plain' }],
      passwordFlag: { name: 'hsm', description: 'read the store password from the HSM', storeName: 'HSM' },
      parse: (env) => ({ slot: env.TATUM_KMS_HSM_SLOT }),
      validate: ({ slot }) =>
        slot === undefined || /^\d+$/.test(slot) ? [] : ['TATUM_KMS_HSM_SLOT must be a number'],
      load: async () => ({
        openStore: ({ slot }) => {
          opened.push(slot!);
          return {} as never;
        },
      }),
    });
    const providers = [...STORAGE_PROVIDERS, hsm];
    const env = { TATUM_KMS_HSM_SLOT: '3' };
    const config = buildKmsConfig({ storage: 'hsm' }, env);
    const storage = resolveStorage(providers, { storage: 'hsm', hsm: true }, env, config);
    expect(storage.passwordVault).toBe(hsm);
    await openWalletStore(storage, config, createPasswordSource(storage, config, new Prompter()));
    expect(opened).toEqual(['3']);
    expect(() => resolveStorage(providers, {}, { TATUM_KMS_HSM_SLOT: 'x' }, config)).toThrow(
      'TATUM_KMS_HSM_SLOT must be a number',
    );
    expect(() => resolveStorage([...providers, { ...hsm, passwordFlag: undefined }], {}, {}, config)).toThrow(
      'two storage providers declare the type hsm',
    );
    expect(() =>
      resolveStorage(
        [...STORAGE_PROVIDERS, { ...hsm, passwordFlag: { ...hsm.passwordFlag!, name: 'aws' } }],
        {},
        {},
        config,
      ),
    ).toThrow('two storage providers declare the flag --aws');
  });

  it('a prompted password is confirmed on a terminal while the wallet file does not exist yet', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kms-confirm-'));
    try {
      const path = join(dir, 'wallet.dat');
      const answers = (...lines: string[]) => {
        const input = Object.assign(Readable.from([]), { isTTY: true });
        const prompter = new Prompter(input, process.stderr);
        const asked: string[] = [];
        jest.spyOn(prompter, 'secret').mockImplementation(async (question: string) => {
          asked.push(question);
          return lines.shift() ?? '';
        });
        return { prompter, asked };
      };
      const { config, storage } = run({ path }, {});
      const fresh = answers('pw', 'pw');
      await expect(createPasswordSource(storage, config, fresh.prompter).password()).resolves.toBe('pw');
      expect(fresh.asked).toHaveLength(2);
      writeFileSync(path, 'not empty');
      const existing = answers('pw');
      await expect(createPasswordSource(storage, config, existing.prompter).password()).resolves.toBe('pw');
      expect(existing.asked).toHaveLength(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('loadImplementation', () => {
    let dir: string;
    beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'kms-loader-'))));
    afterEach(() => rmSync(dir, { recursive: true, force: true }));
    const provider = (load: () => Promise<unknown>) =>
      ({ ...STORAGE_PROVIDERS[0], type: 'x', load }) as (typeof STORAGE_PROVIDERS)[number];

    it('names an SDK the provider needs but that is not installed', async () => {
      const path = join(dir, 'needs-sdk.js');
      writeFileSync(path, "require('@example/not-installed-sdk'); exports.openStore = () => ({});");
      await expect(loadImplementation(provider(async () => require(path)))).rejects.toMatchObject({
        code: 'PROVIDER_UNAVAILABLE',
        message: 'The x storage provider cannot load: the module @example/not-installed-sdk is not installed',
      });
    });

    it('refuses a module without openStore, and passes the module own errors through', async () => {
      await expect(loadImplementation(provider(async () => ({})))).rejects.toThrow(
        'The x storage provider is incomplete (its module has no openStore)',
      );
      await expect(loadImplementation(provider(() => Promise.reject(new Error('boom'))))).rejects.toThrow(
        'boom',
      );
    });
  });
});
