import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { getCACertificates, setDefaultCACertificates } from 'node:tls';
import { Readable, Writable } from 'node:stream';
import type { CliIo } from '../../apps/kms/src/cli/cli-io';
import { runCli, type CliExtensions } from '../../apps/kms/src/cli/run-cli';
import { emptyWorkingDirectory, type KmsRun, type KmsRunOptions } from './kms-cli';

/** A writable that keeps what was written. */
class Capture extends Writable {
  text = '';
  isTTY = false;
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

export interface InProcessRunOptions extends KmsRunOptions {
  /** The run's working directory (where tatum-kms reads `.env`); an empty folder by default. */
  cwd?: string;
  /** Resolves when a running daemon should stop (its SIGINT/SIGTERM); never, by default. */
  stop?: Promise<string>;
  /** What a plugin adds (runCli's third argument), e.g. storage providers. */
  extensions?: CliExtensions;
}

/**
 * Runs one command line in this process, through the same entry point as the `tatum-kms` executable
 * (runCli), with its own environment and streams: the same result as `runKms`, without the cost of a
 * process. Only what is about the process boundary itself (exit on signals, real terminals, several
 * processes on one file) needs `runKms`. `HOME` defaults to the system temp dir, so ~/.tatumrc is
 * never the developer's.
 */
export async function runKmsInProcess(args: string[], options: InProcessRunOptions = {}): Promise<KmsRun> {
  const stdout = new Capture();
  const stderr = new Capture();
  const env: Record<string, string | undefined> = { HOME: process.env.KMS_TEST_HOME ?? tmpdir() };
  for (const [key, value] of Object.entries(options.env ?? {})) if (value !== undefined) env[key] = value;
  const io: CliIo = {
    env,
    stdin: Readable.from(options.input === undefined ? [] : [options.input]),
    stdout,
    stderr,
    cwd: options.cwd ?? emptyWorkingDirectory(),
    stopRequested: () => options.stop ?? new Promise<string>(() => undefined),
  };
  const code = await withExtraCaCertificates(env.NODE_EXTRA_CA_CERTS, () =>
    runCli(args, io, options.extensions),
  );
  return { code, signal: null, stdout: stdout.text, stderr: stderr.text };
}

/**
 * NODE_EXTRA_CA_CERTS is read by node at start only: in-process, the certificates it names are added
 * to the default trust store for the run, as a spawned CLI would trust them, then removed.
 */
async function withExtraCaCertificates<T>(file: string | undefined, run: () => Promise<T>): Promise<T> {
  if (!file) return run();
  const defaults = getCACertificates('default');
  setDefaultCACertificates([...defaults, readFileSync(file, 'utf8')]);
  try {
    return await run();
  } finally {
    setDefaultCACertificates(defaults);
  }
}
