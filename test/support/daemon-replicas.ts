import type { ChildProcess } from 'node:child_process';
import { finished, startKms, type KmsRun, type KmsRunOptions } from './kms-cli';

/**
 * N `daemon` processes of the built CLI running side by side (replicas: same arguments, same store,
 * same journal database), each cycling until stopped. `kill(i)` ends one the hard way (SIGKILL, no
 * cleanup, its leases left behind); `stop()` sends SIGTERM to the others and waits for every process.
 */
export class DaemonReplicas {
  /** Each replica's stdout so far (its log). */
  private readonly outputs: string[];

  private constructor(
    private readonly children: ChildProcess[],
    private readonly runs: Array<Promise<KmsRun>>,
  ) {
    this.outputs = children.map(() => '');
    children.forEach((child, index) => child.stdout!.on('data', (chunk) => (this.outputs[index] += chunk)));
  }

  /** Starts `count` daemons with `args` (after `daemon`) and `options` (env: TATUM_KMS_JOURNAL=...). */
  static start(
    count: number,
    args: string[],
    options: KmsRunOptions & { timeoutMs: number },
  ): DaemonReplicas {
    const children = Array.from({ length: count }, () => startKms(['daemon', ...args], options));
    // finished() kills a process still running after timeoutMs: the spec's own upper bound
    const runs = children.map((child) => finished(child, options.timeoutMs));
    return new DaemonReplicas(children, runs);
  }

  get count(): number {
    return this.children.length;
  }

  /** Whether replica `index` still runs. */
  alive(index: number): boolean {
    const child = this.children[index];
    return child.exitCode === null && child.signalCode === null;
  }

  /** How many lines of replica `index`'s log so far match `pattern`. */
  linesMatching(index: number, pattern: RegExp): number {
    return this.outputs[index].split('\n').filter((line) => pattern.test(line)).length;
  }

  /** The live replica with the most log lines matching `pattern` (the one doing the work). */
  busiest(pattern: RegExp): number {
    let best = -1;
    for (let index = 0; index < this.children.length; index++) {
      if (
        this.alive(index) &&
        (best < 0 || this.linesMatching(index, pattern) > this.linesMatching(best, pattern))
      ) {
        best = index;
      }
    }
    return best;
  }

  /** SIGKILL to replica `index`: it dies mid-whatever, as a crashed host would. */
  kill(index: number): void {
    this.children[index].kill('SIGKILL');
  }

  /** SIGTERM to every replica still running; resolves with every replica's run (killed ones included). */
  async stop(): Promise<KmsRun[]> {
    for (let index = 0; index < this.children.length; index++) {
      if (this.alive(index)) this.children[index].kill('SIGTERM');
    }
    return Promise.all(this.runs);
  }
}

/** Polls `condition` every 100 ms until it holds (true) or `timeoutMs` passes (false). */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  timeoutMs: number,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
