import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { emptyWorkingDirectory, KMS_MAIN, tempDir, type KmsRun } from './support/kms-cli';
import { writeTestWalletFile } from './support/wallet-files';

/**
 * The password of a NEW store, typed on a terminal, is asked twice: a typo would seal every wallet
 * created under it with a password nobody knows. An existing store's password is asked once, and
 * piped answers (scripts) are read once, as tatum-kms reads them.
 */
const PASSWORD = 'confirmation-password';

/**
 * Runs the CLI on a pseudo-terminal (`script`) and answers each prompt that mentions "password" with
 * the next of `answers` (a string ending in \r, or a control key). Returns what the terminal showed.
 */
function onTerminal(args: string[], answers: string[], env: Record<string, string>): Promise<KmsRun> {
  const command = [process.execPath, KMS_MAIN, ...args]
    .map((arg) => `'${arg.replace(/'/g, "'\\''")}'`)
    .join(' ');
  const child = spawn('script', ['-qec', command, '/dev/null'], {
    env: { PATH: process.env.PATH, ...env },
    cwd: emptyWorkingDirectory(),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let shown = '';
  let prompts = 0;
  child.stdout.on('data', (chunk: Buffer) => {
    shown += chunk.toString();
    const seen = shown.match(/password[^\r\n]*: /gi)?.length ?? 0;
    while (prompts < seen && prompts < answers.length) child.stdin.write(answers[prompts++]);
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

const errorOf = (run: KmsRun) => JSON.parse(run.stdout.split(/\r?\n/).find((line) => line.startsWith('{'))!);
const questions = (run: KmsRun) => run.stdout.match(/password[^\r\n]*: /gi) ?? [];

describe('the first password of a new store is asked twice on a terminal', () => {
  const { dir, cleanup } = tempDir('kms-password-confirmation-');
  afterAll(cleanup);

  it('two different answers are a clear error, and no store is created', async () => {
    const path = join(dir, 'mismatch.dat');
    const run = await onTerminal(
      ['generatemanagedwallet', 'ETH', '--path', path],
      [`${PASSWORD}\r`, `${PASSWORD}x\r`],
      { HOME: dir },
    );
    expect(questions(run)).toHaveLength(2);
    expect(run.code).toBe(1);
    expect(errorOf(run)).toEqual({
      error: 'The two passwords for the new wallet store differ; nothing was created',
    });
    expect(run.stdout).not.toContain(PASSWORD);
    expect(existsSync(path)).toBe(false);
  }, 90_000);

  it('the same answer twice creates the store, which then opens with it (asked once)', async () => {
    const path = join(dir, 'new.dat');
    const created = await onTerminal(
      ['generatemanagedwallet', 'ETH', '--path', path],
      [`${PASSWORD}\r`, `${PASSWORD}\r`],
      { HOME: dir },
    );
    expect(created.code).toBe(0);
    expect(questions(created)).toHaveLength(2);
    expect(existsSync(path)).toBe(true);

    const listed = await onTerminal(['export', '--path', path], [`${PASSWORD}\r`], { HOME: dir });
    expect(listed.code).toBe(0);
    expect(questions(listed)).toHaveLength(1);
    expect(listed.stdout).toMatch(/"chain": "ETH"/);
  }, 90_000);

  it('Ctrl-C at the second question cancels as before, creating nothing', async () => {
    const path = join(dir, 'cancelled.dat');
    const run = await onTerminal(
      ['generatemanagedwallet', 'ETH', '--path', path],
      [`${PASSWORD}\r`, '\u0003'],
      {
        HOME: dir,
      },
    );
    expect(run.code).toBe(1);
    expect(errorOf(run).error).toMatch(
      /^Cancelled at "Repeat the password of the new wallet store"; nothing was changed$/,
    );
    expect(existsSync(path)).toBe(false);
  }, 90_000);

  it('an existing store is asked once', async () => {
    const path = join(dir, 'existing.dat');
    await writeTestWalletFile(path, PASSWORD);
    const run = await onTerminal(['generatemanagedwallet', 'ETH', '--path', path], [`${PASSWORD}\r`], {
      HOME: dir,
    });
    expect(run.code).toBe(0);
    expect(questions(run)).toHaveLength(1);
  }, 90_000);
});
