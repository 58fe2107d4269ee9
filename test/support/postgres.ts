import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';

/** Where Debian's `postgresql` package puts the server binaries (`apt-get install -y postgresql`). */
const BIN_DIRS = ['/usr/lib/postgresql/17/bin', '/usr/lib/postgresql/16/bin', '/usr/lib/postgresql/15/bin'];
/** The server refuses to run as root: a root test process runs it as this user. */
const SERVER_USER = 'postgres';
/** Set to a superuser connection string to use that server instead of starting one. */
const URL_ENV = 'TATUM_KMS_TEST_PG_URL';

/**
 * A PostgreSQL server for specs: a throwaway one (initdb on a temp folder, a free 127.0.0.1 port, its
 * unix socket in that folder, a random superuser password, run as `postgres` when this process is root)
 * or the one named by TATUM_KMS_TEST_PG_URL. `createDatabase()` gives each spec a fresh database;
 * `stop()` drops those databases, stops a server it started and removes its folder.
 */
export class TestPostgres {
  private readonly databases: string[] = [];

  private constructor(
    /** Superuser connection string of the server (its `postgres` database). */
    private readonly adminUrl: string,
    /** The throwaway server's folder and pg_ctl, absent for an external server. */
    private readonly owned?: { dir: string; pgCtl: string; asUser: string[] },
  ) {}

  /** Whether specs can have a server: TATUM_KMS_TEST_PG_URL is set, or `initdb` is installed. */
  static available(): boolean {
    return Boolean(process.env[URL_ENV]) || binDir() !== undefined;
  }

  static async start(timeoutMs = 60_000): Promise<TestPostgres> {
    const external = process.env[URL_ENV];
    if (external) return new TestPostgres(external);
    const bin = binDir();
    if (!bin)
      throw new Error(
        `PostgreSQL is not installed (apt-get install -y postgresql) and ${URL_ENV} is not set`,
      );

    const dir = mkdtempSync(join(tmpdir(), 'kms-postgres-'));
    const asUser = process.getuid?.() === 0 ? ['runuser', '-u', SERVER_USER, '--'] : [];
    const server = new TestPostgres('', { dir, pgCtl: join(bin, 'pg_ctl'), asUser });
    try {
      if (asUser.length > 0) chownSync(dir, ...userIds());
      chmodSync(dir, 0o700);
      const password = randomBytes(16).toString('hex');
      const pwfile = join(dir, 'pwfile');
      writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
      if (asUser.length > 0) chownSync(pwfile, ...userIds());
      const data = join(dir, 'data');
      run(asUser, join(bin, 'initdb'), [
        '-D',
        data,
        '-U',
        'kms',
        `--pwfile=${pwfile}`,
        '--auth=scram-sha-256',
        '--encoding=UTF8',
        '--locale=C',
        '--no-sync',
      ]);
      rmSync(pwfile);
      const [port] = await freePorts(1);
      const options = `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c max_connections=200 -c shared_buffers=32MB`;
      run(asUser, join(bin, 'pg_ctl'), [
        'start',
        '-D',
        data,
        '-l',
        join(dir, 'server.log'),
        '-o',
        options,
        '-w',
        '-t',
        String(Math.ceil(timeoutMs / 1000)),
      ]);
      return new TestPostgres(`postgres://kms:${password}@127.0.0.1:${port}/postgres`, server.owned);
    } catch (error) {
      const tail = logTail(dir);
      await server.stop();
      throw new Error(`${(error as Error).message}${tail}`);
    }
  }

  /** A new, empty database on this server: its connection string (dropped by `stop()`). */
  async createDatabase(): Promise<string> {
    const name = `kms_test_${randomBytes(6).toString('hex')}`;
    await this.admin(`CREATE DATABASE ${name}`);
    this.databases.push(name);
    const url = new URL(this.adminUrl);
    url.pathname = `/${name}`;
    return url.toString();
  }

  /** Drops the databases it created, stops a server it started (fast, then immediate) and removes its folder. */
  async stop(): Promise<void> {
    if (this.adminUrl) {
      for (const name of this.databases.splice(0)) {
        await this.admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
      }
    }
    if (!this.owned) return;
    const { dir, pgCtl, asUser } = this.owned;
    const data = join(dir, 'data');
    if (existsSync(join(data, 'postmaster.pid'))) {
      const fast = spawnRun(asUser, pgCtl, ['stop', '-D', data, '-m', 'fast', '-w', '-t', '30']);
      if (fast !== 0) spawnRun(asUser, pgCtl, ['stop', '-D', data, '-m', 'immediate', '-w', '-t', '30']);
    }
    rmSync(dir, { recursive: true, force: true });
  }

  private async admin(sql: string): Promise<void> {
    const client = new Client({ connectionString: this.adminUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  }
}

/**
 * Jest wiring: a server and a fresh database for the calling spec file (beforeAll), everything stopped
 * and removed in afterAll. `url()` is valid inside tests and hooks that run after beforeAll.
 */
export function usePostgresDatabase(): { url: () => string; server: () => TestPostgres } {
  let server: TestPostgres | undefined;
  let url: string | undefined;
  beforeAll(async () => {
    server = await TestPostgres.start();
    url = await server.createDatabase();
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
  }, 120_000);
  return {
    url: () => url ?? fail('usePostgresDatabase: the server did not start'),
    server: () => server ?? fail('usePostgresDatabase: the server did not start'),
  };
}

function fail(message: string): never {
  throw new Error(message);
}

function binDir(): string | undefined {
  return BIN_DIRS.find((dir) => existsSync(join(dir, 'initdb')));
}

function userIds(): [number, number] {
  const uid = Number(execFileSync('id', ['-u', SERVER_USER], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', SERVER_USER], { encoding: 'utf8' }).trim());
  return [uid, gid];
}

function run(asUser: string[], binary: string, args: string[]): void {
  const [command, ...rest] = [...asUser, binary, ...args];
  const result = spawnSync(command, rest, { encoding: 'utf8', cwd: tmpdir() });
  if (result.status !== 0) {
    throw new Error(
      `${binary} ${args[0]} failed (${result.status ?? result.signal}): ${result.stderr || result.stdout}`,
    );
  }
}

function spawnRun(asUser: string[], binary: string, args: string[]): number | null {
  const [command, ...rest] = [...asUser, binary, ...args];
  return spawnSync(command, rest, { stdio: 'ignore', cwd: tmpdir() }).status;
}

function logTail(dir: string): string {
  const log = join(dir, 'server.log');
  return existsSync(log) ? `\n${readFileSync(log, 'utf8').split('\n').slice(-20).join('\n')}` : '';
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
