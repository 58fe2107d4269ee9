import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const KMS_MAIN = join(__dirname, '..', '..', 'dist', 'main.js');

let emptyFolder: string | undefined;
/**
 * The default working directory of a CLI run: an empty folder of this test process, so that no `.env`
 * of the repository or the temp dir (tatum-kms loads `./.env`) ever reaches a test.
 */
export function emptyWorkingDirectory(): string {
  if (!emptyFolder) {
    const folder = mkdtempSync(join(tmpdir(), 'kms-cwd-'));
    process.once('exit', () => rmSync(folder, { recursive: true, force: true }));
    emptyFolder = folder;
  }
  return emptyFolder;
}

export interface KmsRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface KmsRunOptions {
  /** Extra environment; HOME is isolated per test dir by default so ~/.tatumrc is never touched. */
  env?: Record<string, string | undefined>;
  /** The process's working directory (where tatum-kms reads `.env`); an empty folder by default. */
  cwd?: string;
  /** Lines written to stdin, then stdin is closed. */
  input?: string;
  timeoutMs?: number;
}

/** Runs the built CLI (`node dist/main.js ...args`) to completion and captures its output. */
export function runKms(args: string[], options: KmsRunOptions = {}): Promise<KmsRun> {
  const child = startKms(args, options);
  return finished(child, options.timeoutMs ?? 60_000);
}

export function startKms(args: string[], options: KmsRunOptions = {}): ChildProcess {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.KMS_TEST_HOME ?? tmpdir() };
  // Node's compile cache, private to this jest run (test/setup/global-setup.js)
  if (process.env.KMS_TEST_COMPILE_CACHE) env.NODE_COMPILE_CACHE = process.env.KMS_TEST_COMPILE_CACHE;
  for (const [key, value] of Object.entries(options.env ?? {})) if (value !== undefined) env[key] = value;
  const child = spawn(process.execPath, [KMS_MAIN, ...args], {
    env,
    cwd: options.cwd ?? emptyWorkingDirectory(),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  child.stdin!.end(options.input ?? '');
  return child;
}

export function finished(child: ChildProcess, timeoutMs = 60_000): Promise<KmsRun> {
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`kms ${child.spawnargs.slice(2).join(' ')} timed out; stderr: ${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** Parses the single JSON document a successful command prints. */
export function json<T = Record<string, unknown>>(run: KmsRun): T {
  if (run.code !== 0) throw new Error(`kms failed (${run.code}): ${run.stderr}`);
  return JSON.parse(run.stdout) as T;
}

/** A fresh temp folder, removed by the returned cleanup. */
export function tempDir(prefix = 'kms-e2e-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs tasks with at most `limit` in flight (the machine has 2 cores; each CLI run is a process). */
export async function inBatches<T>(tasks: Array<() => Promise<T>>, limit = 4): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}

/**
 * Runs the daemon (without --runOnce: it cycles every --period) until `until()` holds or `timeoutMs`
 * passes, then stops it with SIGTERM and returns its output. `met` says whether `until()` held.
 */
export async function runDaemonUntil(
  args: string[],
  until: () => boolean,
  options: KmsRunOptions & { timeoutMs: number },
): Promise<KmsRun & { met: boolean }> {
  const child = startKms(['daemon', ...args], options);
  const done = finished(child, options.timeoutMs + 30_000);
  const deadline = Date.now() + options.timeoutMs;
  let exited = false;
  void done.then(() => (exited = true)).catch(() => (exited = true));
  while (!until() && Date.now() < deadline && !exited) await new Promise((r) => setTimeout(r, 100));
  const met = until();
  if (!exited) child.kill('SIGTERM');
  return { ...(await done), met };
}
