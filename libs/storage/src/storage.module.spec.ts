import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { Prompter } from '@kms/common';
import { buildKmsConfig } from '@kms/config';
import { FileWalletStore } from './file/file-wallet.store';
import { loadProvider } from './provider-loader';
import { createPasswordSource, createWalletStore } from './storage.module';
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

describe('storage provider factory', () => {
  it('starts the file provider (and the vgs one) without loading any cloud SDK', () => {
    const loaded = inFreshNode(`
      const storage = require('./libs/storage/src');
      const { createWalletStore, createPasswordSource } = require('./libs/storage/src/storage.module');
      const { buildKmsConfig } = require('./libs/config/src');
      const config = buildKmsConfig({}, { TATUM_KMS_PASSWORD: 'x' });
      const passwords = createPasswordSource(config, null);
      const file = createWalletStore(config, passwords);
      if (!(file instanceof storage.FileWalletStore)) throw new Error('not the file store');
      file.describe();
      createWalletStore(config, passwords, 'vgs').describe();
      const sdk = Object.keys(require.cache).filter((path) => /[\\\\/]node_modules[\\\\/]@(aws-sdk|azure|smithy)[\\\\/]/.test(path));
      console.log(JSON.stringify({ sdk, modules: Object.keys(require.cache).length }));
    `) as { sdk: string[]; modules: number };
    expect(loaded.modules).toBeGreaterThan(10); // the probe did load the storage lib
    expect(loaded.sdk).toEqual([]);
  });

  it('maps each storage type and password source to its provider, lazily', () => {
    const config = buildKmsConfig(
      { vgs: true },
      {
        TATUM_KMS_VGS_URL: 'http://127.0.0.1:9',
        TATUM_KMS_VGS_USERNAME: 'user',
        TATUM_KMS_VGS_PASSWORD: 'secret',
      },
    );
    const passwords = createPasswordSource(config, new Prompter());
    expect(passwords.origin).toMatch(/VGS/);
    expect(createWalletStore(config, passwords, 'file')).toBeInstanceOf(FileWalletStore);
    const vgs = createWalletStore(config, passwords, 'vgs');
    expect(vgs).toBeInstanceOf(VaultWalletStore);
    expect(vgs.describe()).toEqual({
      type: 'vgs',
      location: `http://127.0.0.1:9 (index ${config.vgsIndexPath})`,
    });
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
      const config = buildKmsConfig({ path }, {});
      const fresh = answers('pw', 'pw');
      await expect(createPasswordSource(config, fresh.prompter).password()).resolves.toBe('pw');
      expect(fresh.asked).toHaveLength(2);
      writeFileSync(path, 'not empty');
      const existing = answers('pw');
      await expect(createPasswordSource(config, existing.prompter).password()).resolves.toBe('pw');
      expect(existing.asked).toHaveLength(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('loadProvider', () => {
    let dir: string;
    beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'kms-loader-'))));
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('turns a missing provider module into PROVIDER_UNAVAILABLE', () => {
      expect(() =>
        loadProvider(join(dir, 'absent.vault'), 'AbsentVault', 'The absent storage provider'),
      ).toThrow(
        expect.objectContaining({
          code: 'PROVIDER_UNAVAILABLE',
          message: 'The absent storage provider is not available in this version of the KMS',
        }),
      );
    });

    it('names an SDK the provider needs but that is not installed', () => {
      const path = join(dir, 'needs-sdk.js');
      writeFileSync(path, "require('@example/not-installed-sdk'); exports.V = class {};");
      expect(() => loadProvider(path, 'V', 'The x storage provider')).toThrow(
        'The x storage provider cannot load: the module @example/not-installed-sdk is not installed',
      );
    });

    it('returns the named export, and refuses a module without it', () => {
      const path = join(dir, 'ok.js');
      writeFileSync(path, 'exports.V = class V {};');
      expect(loadProvider<new () => object>(path, 'V', 'x').name).toBe('V');
      expect(() => loadProvider(path, 'W', 'The x provider')).toThrow(
        'The x provider is incomplete (W is missing)',
      );
    });
  });
});
