import { spawn } from 'node:child_process';
import { join } from 'node:path';

export interface BchVmRequest {
  verify?: Array<{ txHex: string; sourceOutputs: Array<{ lockingBytecode: string; valueSatoshis: string }> }>;
  schnorr?: Array<{ privateKey: string; messageHash: string }>;
}

export interface BchVmAnswer {
  /** Per transaction: true when libauth's BCH VM accepts every input, else its error message. */
  verify: Array<true | string>;
  /** Per request: libauth's own BCH Schnorr signature (hex), to compare with ours. */
  schnorr: string[];
}

/**
 * Runs test/support/bch-vm.worker.mjs (libauth is ESM-only and jest runs CommonJS) in a child `node` and
 * returns its answer. The child is killed if it has not finished within `timeoutMs`.
 */
export function runBchVm(request: BchVmRequest, timeoutMs = 30_000): Promise<BchVmAnswer> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(__dirname, 'bch-vm.worker.mjs')], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code !== 0) {
        reject(
          new Error(
            `bch-vm.worker.mjs exited with ${code ?? signal}: ${Buffer.concat(stderr).toString('utf8')}`,
          ),
        );
        return;
      }
      resolve(JSON.parse(Buffer.concat(stdout).toString('utf8')) as BchVmAnswer);
    });
    child.stdin.end(JSON.stringify(request));
  });
}
