import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface FakeVgsFault {
  status: number;
  /** Retry-After header of the faulted answers. */
  retryAfter?: string;
  /** Only requests of this method (default any). */
  method?: 'GET' | 'POST' | 'DELETE';
  /** Let this many matching requests through first (default 0). */
  after?: number;
}

/**
 * A fake of the VGS vault HTTP API (aliases) on 127.0.0.1, for unit specs, e2e specs and benchmarks:
 *   POST   /aliases                 {data: [{value, classifiers?, format}]} -> {data: [{value, classifiers, aliases: [{alias, format}], created_at}]}
 *   GET    /aliases/{alias}         -> {data: [{value, classifiers, aliases, created_at}]}, 404 if unknown
 *   GET    /aliases?q=a,b           batch reveal (up to 20; disabled by default on the real API)
 *   DELETE /aliases/{alias}         204, 404 if unknown
 * Basic auth is checked on every request (401 `{"errors": [...]}` otherwise). Faults are scripted:
 * `failNext({status: 429, retryAfter: '0'}, 3)` answers the next 3 matching requests with that status.
 * `requests` counts every request; `byMethod` per method.
 */
export class FakeVgs {
  readonly aliases = new Map<string, { value: string; classifiers: string[]; createdAt: string }>();
  requests = 0;
  readonly byMethod: Record<string, number> = {};
  private faults: Array<FakeVgsFault & { after: number; remaining: number }> = [];
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
    private readonly authorization: string,
  ) {}

  static async start(credentials: { username: string; password: string }): Promise<FakeVgs> {
    const authorization = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
    const holder: { fake?: FakeVgs } = {};
    const server = createServer((request, response) => void holder.fake!.handle(request, response));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const fake = (holder.fake = new FakeVgs(server, `http://127.0.0.1:${port}`, authorization));
    server.on('connection', (socket) => {
      fake.sockets.add(socket);
      socket.on('close', () => fake.sockets.delete(socket));
    });
    return fake;
  }

  /** Stores a value as an operator would (e.g. the store password for `--vgs`); returns its alias. */
  seed(value: string): string {
    const alias = newAlias();
    this.aliases.set(alias, { value, classifiers: [], createdAt: new Date().toISOString() });
    return alias;
  }

  failNext(fault: FakeVgsFault, times = 1): void {
    this.faults.push({ ...fault, after: fault.after ?? 0, remaining: times });
  }

  clearFaults(): void {
    this.faults = [];
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    this.requests++;
    const method = request.method ?? 'GET';
    this.byMethod[method] = (this.byMethod[method] ?? 0) + 1;
    const body = await readBody(request);
    const send = (status: number, payload?: unknown, headers: Record<string, string> = {}) => {
      response.writeHead(status, { 'content-type': 'application/json', ...headers });
      response.end(payload === undefined ? undefined : JSON.stringify(payload));
    };
    const error = (status: number, detail: string, headers?: Record<string, string>) =>
      send(status, { errors: [{ status, title: detail, detail }] }, headers);

    if (request.headers.authorization !== this.authorization) return error(401, 'Unauthorized');
    const fault = this.faults.find((f) => f.remaining > 0 && (!f.method || f.method === method));
    if (fault && fault.after > 0) fault.after--;
    else if (fault) {
      fault.remaining--;
      return error(
        fault.status,
        'Injected fault',
        fault.retryAfter ? { 'retry-after': fault.retryAfter } : {},
      );
    }

    const url = new URL(request.url ?? '/', this.url);
    const match = /^\/aliases(?:\/([^/]+))?$/.exec(url.pathname);
    if (!match) return error(404, 'Not found');
    const alias = match[1] === undefined ? undefined : decodeURIComponent(match[1]);

    if (method === 'POST' && alias === undefined) {
      let items: Array<{ value?: unknown; classifiers?: unknown; format?: unknown }>;
      try {
        items = (JSON.parse(body) as { data: typeof items }).data;
      } catch {
        return error(400, 'Invalid JSON');
      }
      if (!Array.isArray(items) || items.length === 0 || items.length > 20)
        return error(400, 'data must hold 1 to 20 items');
      if (items.some((item) => typeof item.value !== 'string' || typeof item.format !== 'string'))
        return error(400, 'value and format are required');
      const data = items.map((item) => {
        const created = {
          value: item.value as string,
          classifiers: Array.isArray(item.classifiers) ? (item.classifiers as string[]) : [],
          createdAt: new Date().toISOString(),
        };
        const newOne = newAlias();
        this.aliases.set(newOne, created);
        return record(newOne, created);
      });
      return send(200, { data });
    }
    if (method === 'GET' && alias === undefined) {
      const wanted = (url.searchParams.get('q') ?? '').split(',').filter(Boolean);
      if (wanted.length === 0 || wanted.length > 20) return error(400, 'q must name 1 to 20 aliases');
      const found = wanted.filter((a) => this.aliases.has(a));
      if (found.length === 0) return error(404, 'Alias not found');
      return send(200, { data: found.map((a) => record(a, this.aliases.get(a)!)) });
    }
    if (method === 'GET' && alias !== undefined) {
      const stored = this.aliases.get(alias);
      return stored ? send(200, { data: [record(alias, stored)] }) : error(404, 'Alias not found');
    }
    if (method === 'DELETE' && alias !== undefined) {
      return this.aliases.delete(alias) ? send(204) : error(404, 'Alias not found');
    }
    return error(405, 'Method not allowed');
  }
}

/** An http URL on 127.0.0.1 where nothing listens (a port just released), for "unreachable" faults. */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

function record(alias: string, stored: { value: string; classifiers: string[]; createdAt: string }) {
  return {
    value: stored.value,
    classifiers: stored.classifiers,
    aliases: [{ alias, format: 'UUID' }],
    created_at: stored.createdAt,
  };
}

function newAlias(): string {
  return `tok_sandbox_${randomBytes(16).toString('base64url')}`;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (text += chunk));
    request.on('end', () => resolve(text));
    request.on('error', reject);
  });
}
