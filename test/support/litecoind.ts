import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BINARY = 'litecoind';

/** RPC error answered by the node (`{code, message}` of JSON-RPC). */
export class LitecoinRpcError extends Error {
  constructor(
    readonly method: string,
    readonly code: number,
    message: string,
  ) {
    super(`${method}: ${message} (${code})`);
  }
}

/**
 * A throwaway Litecoin Core node in regtest (Debian's `litecoind`: `apt-get install -y litecoind`):
 * temp datadir, RPC and P2P on free 127.0.0.1 ports, random RPC credentials. `stop()` asks it to shut
 * down over RPC, kills it if it does not exit in time, and removes the datadir.
 */
export class Litecoind {
  private exited: Promise<void>;

  private constructor(
    private readonly child: ChildProcess,
    readonly datadir: string,
    private readonly url: string,
    private readonly auth: string,
  ) {
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
  }

  /** Whether a `litecoind` binary is on the PATH. */
  static available(): boolean {
    return spawnSync(BINARY, ['-version'], { stdio: 'ignore' }).status === 0;
  }

  static version(): string {
    return spawnSync(BINARY, ['-version'], { encoding: 'utf8' }).stdout.split('\n')[0];
  }

  static async start(timeoutMs = 60_000): Promise<Litecoind> {
    const datadir = mkdtempSync(join(tmpdir(), 'kms-litecoind-'));
    const [rpcPort, p2pPort] = await freePorts(2);
    const user = 'kms';
    const password = randomBytes(16).toString('hex');
    const child = spawn(
      BINARY,
      [
        '-regtest',
        `-datadir=${datadir}`,
        '-server=1',
        `-rpcuser=${user}`,
        `-rpcpassword=${password}`,
        '-rpcbind=127.0.0.1',
        '-rpcallowip=127.0.0.1',
        `-rpcport=${rpcPort}`,
        `-bind=127.0.0.1:${p2pPort}`,
        `-port=${p2pPort}`,
        '-listen=1',
        '-dnsseed=0',
        '-discover=0',
        '-listenonion=0',
        '-fallbackfee=0.0002',
        '-printtoconsole=0',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    const node = new Litecoind(
      child,
      datadir,
      `http://127.0.0.1:${rpcPort}/`,
      `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
    );
    try {
      await node.waitForRpc(timeoutMs, () => stderr);
      return node;
    } catch (error) {
      await node.stop();
      throw error;
    }
  }

  async rpc<T = unknown>(method: string, params: unknown[] = []): Promise<T> {
    const response = await fetch(this.url, {
      method: 'POST',
      headers: { authorization: this.auth, 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '1.0', id: method, method, params }),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await response.text();
    let body: { result?: T; error?: { code: number; message: string } | null };
    try {
      body = JSON.parse(text);
    } catch {
      throw new Error(`${method}: HTTP ${response.status} ${text.slice(0, 200)}`);
    }
    if (body.error) throw new LitecoinRpcError(method, body.error.code, body.error.message);
    return body.result as T;
  }

  /** RPC `stop`, then SIGKILL if the node has not exited within `timeoutMs`; removes the datadir. */
  async stop(timeoutMs = 15_000): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      await this.rpc('stop').catch(() => undefined);
      const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
      await this.exited;
      clearTimeout(timer);
    }
    rmSync(this.datadir, { recursive: true, force: true });
  }

  private async waitForRpc(timeoutMs: number, stderr: () => string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.child.exitCode !== null || this.child.signalCode !== null) {
        throw new Error(
          `litecoind exited early (${this.child.exitCode ?? this.child.signalCode}): ${stderr()}${this.logTail()}`,
        );
      }
      try {
        await this.rpc('getblockchaininfo');
        return;
      } catch (error) {
        // -28: still warming up; connection refused: not listening yet
        if (Date.now() > deadline)
          throw new Error(`litecoind RPC not ready after ${timeoutMs} ms: ${String(error)}${this.logTail()}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  private logTail(): string {
    const log = join(this.datadir, 'regtest', 'debug.log');
    return existsSync(log) ? `\n${readFileSync(log, 'utf8').split('\n').slice(-20).join('\n')}` : '';
  }
}

/** Ports the OS reports free on 127.0.0.1 (bound, read, released). */
async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
          const server = createServer();
          server.once('error', reject);
          server.listen(0, '127.0.0.1', () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((server) => (server.address() as { port: number }).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}
