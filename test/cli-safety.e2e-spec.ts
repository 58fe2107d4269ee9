import { spawn } from 'node:child_process';
import { chmodSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import vectors from './fixtures/derivation.json';
import { FakeTatumApi } from './support/fake-tatum-api';
import { emptyWorkingDirectory, json, KMS_MAIN, runKms, tempDir, type KmsRun } from './support/kms-cli';
import { runKmsInProcess } from './support/kms-in-process';
import { writeTestWalletFile } from './support/wallet-files';

/**
 * Mistakes a user makes at the command line get a clear answer and change nothing: Ctrl-C or Ctrl-D at
 * a prompt, a network flag that does not fit the wallet, a wallet file others can read, a daemon
 * started without an API key.
 */
const PASSWORD = 'cli-safety-password';

/**
 * Runs the CLI on a real terminal (`script` gives it a pseudo-terminal), types `keys` once the first
 * prompt is shown, and returns what the terminal showed and the exit code.
 */
function onTerminal(args: string[], keys: string, env: Record<string, string>): Promise<KmsRun> {
  const command = [process.execPath, KMS_MAIN, ...args]
    .map((arg) => `'${arg.replace(/'/g, "'\\''")}'`)
    .join(' ');
  const child = spawn('script', ['-qec', command, '/dev/null'], {
    env: { PATH: process.env.PATH, ...env },
    cwd: emptyWorkingDirectory(),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let shown = '';
  let typed = false;
  child.stdout.on('data', (chunk: Buffer) => {
    shown += chunk.toString();
    if (!typed && /password/i.test(shown)) {
      typed = true;
      child.stdin.write(keys);
    }
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no exit on the terminal; it showed: ${shown}`));
    }, 60_000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout: shown, stderr: '' });
    });
  });
}

describe('the CLI says no clearly and changes nothing', () => {
  const { dir, cleanup } = tempDir('kms-cli-safety-');
  afterAll(cleanup);

  it.each([
    ['Ctrl-C', '\u0003'],
    ['Ctrl-D', '\u0004'],
  ])('%s at the password prompt ends the command with a JSON error, not a crash', async (_name, key) => {
    const path = join(dir, `${_name}.dat`);
    const run = await onTerminal(['generatemanagedwallet', 'ETH', '--path', path], key, { HOME: dir });
    expect(run.code).toBe(1);
    const errorLine = run.stdout.split(/\r?\n/).find((line) => line.startsWith('{'));
    expect(JSON.parse(errorLine!)).toEqual({
      error: 'Cancelled at "Enter password to access wallet store"; nothing was changed',
    });
    expect(run.stdout).not.toMatch(/Unexpected internal error/);
    expect(existsSync(path)).toBe(false);
  });

  describe('with a store', () => {
    const path = join(dir, 'wallet.dat');
    const env = { HOME: dir, TATUM_KMS_PASSWORD: PASSWORD };
    let mainnetWallet: string;
    let testnetWallet: string;

    beforeAll(async () => {
      await writeTestWalletFile(path, PASSWORD);
      mainnetWallet = json<{ signatureId: string }>(
        await runKmsInProcess(['storemanagedwallet', 'ETH', '--path', path], {
          env,
          input: `${vectors.mnemonic}\n`,
        }),
      ).signatureId;
      testnetWallet = json<{ signatureId: string }>(
        await runKmsInProcess(['storemanagedwallet', 'ETH', '--testnet', '--path', path], {
          env,
          input: `${vectors.mnemonic}\n`,
        }),
      ).signatureId;
    });

    it('a network flag that does not fit the wallet is an error, not silently ignored', async () => {
      for (const [wallet, flag, own] of [
        [mainnetWallet, '--testnet', 'mainnet'],
        [testnetWallet, '--no-testnet', 'testnet'],
        [testnetWallet, '--testnet=false', 'testnet'],
      ]) {
        for (const command of ['getaddress', 'getprivatekey']) {
          const run = await runKmsInProcess([command, wallet, '0', flag, '--path', path], { env });
          expect(run.code).toBe(1);
          expect(run.stdout).toBe('');
          expect(JSON.parse(run.stderr)).toEqual({ error: expect.stringContaining(`is a ${own} wallet`) });
        }
      }
      // the wallet's own network, or no flag at all, derives as before
      const mainnet = vectors.chains.ETH.mainnet.generateAddressFromXPub['0'];
      const testnet = vectors.chains.ETH.testnet.generateAddressFromXPub['0'];
      expect(
        json(await runKmsInProcess(['getaddress', mainnetWallet, '0', '--path', path], { env })),
      ).toEqual({
        address: mainnet,
      });
      expect(
        json(await runKmsInProcess(['getaddress', testnetWallet, '0', '--testnet', '--path', path], { env })),
      ).toEqual({ address: testnet });
    });

    it('report warns about a wallet file other users can read', async () => {
      chmodSync(path, 0o644);
      try {
        const report = json<{ warnings?: string[] }>(
          await runKmsInProcess(['report', '--path', path], { env }),
        );
        expect(report.warnings).toEqual([
          expect.stringMatching(/can be read or changed by other users \(mode 0644\): chmod 600/),
        ]);
      } finally {
        chmodSync(path, 0o600);
      }
      const report = json<{ warnings?: string[] }>(
        await runKmsInProcess(['report', '--path', path], { env }),
      );
      expect(report.warnings).toBeUndefined();
    });

    it('the daemon refuses to start without an API key, before any call', async () => {
      const api = await FakeTatumApi.start({ apiKey: 'the-key' });
      try {
        const run = await runKms(['daemon', '--testnet', '--path', path], {
          env: { ...env, TATUM_API_URL: api.url },
          timeoutMs: 60_000,
        });
        expect(run.code).not.toBe(0);
        expect(JSON.parse(run.stderr.trim().split('\n').pop()!)).toEqual({
          error: 'The Tatum API key is not set: pass --apiKey or set TATUM_API_KEY',
        });
        expect(api.requests).toEqual([]);
      } finally {
        await api.stop();
      }
    });
  });
});
