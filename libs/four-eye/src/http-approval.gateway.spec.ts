import { once } from 'node:events';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpApprovalGateway } from './http-approval.gateway';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/**
 * An approval server on 127.0.0.1 that answers by the prefix of the last path segment:
 * ok 200, nc 204, deny 403, err 500, redir 302 (to /approve/ok-target, which would answer 200),
 * hang never answers, drop destroys the socket, big 200 with a 1 MiB body, stall 200 then no body.
 */
class ApprovalServer {
  readonly seen: Seen[] = [];
  private readonly open = new Set<ServerResponse>();
  private readonly server: Server = createServer((req, res) => this.handle(req, res));

  async start(): Promise<string> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    for (const res of this.open) res.destroy();
    this.server.closeAllConnections();
    this.server.close();
    await once(this.server, 'close');
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      this.seen.push({
        method: req.method!,
        url: req.url!,
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      });
      const id = decodeURIComponent(new URL(req.url!, 'http://x').pathname.split('/').pop()!);
      const kind = id.split('-')[0];
      if (kind === 'hang' || kind === 'stall') {
        this.open.add(res);
        res.on('close', () => this.open.delete(res));
        if (kind === 'stall') res.writeHead(200).flushHeaders();
        return;
      }
      if (kind === 'drop') return void req.socket.destroy();
      const status = { ok: 200, nc: 204, deny: 403, err: 500, redir: 302, big: 200 }[kind] ?? 404;
      if (status === 302) res.setHeader('location', '/approve/ok-target');
      res
        .writeHead(status)
        .end(kind === 'big' ? Buffer.alloc(1024 * 1024, 1) : status === 204 ? undefined : 'answer');
    });
  }
}

const expected = (id: string, timeoutMs: number): { approved: boolean; reason?: string } => {
  switch (id.split('-')[0]) {
    case 'ok':
    case 'nc':
    case 'big':
      return { approved: true };
    case 'deny':
      return { approved: false, reason: 'approval server answered 403' };
    case 'err':
      return { approved: false, reason: 'approval server answered 500' };
    case 'redir':
      return { approved: false, reason: 'approval server redirected (302); redirects are not followed' };
    case 'hang':
      return { approved: false, reason: `approval server timed out after ${timeoutMs} ms` };
    case 'drop':
      return { approved: false, reason: 'approval request failed: ECONNRESET' };
    default:
      throw new Error(`no expectation for ${id}`);
  }
};

describe('HttpApprovalGateway', () => {
  const TIMEOUT = 300;
  const server = new ApprovalServer();
  let base: string;

  beforeAll(async () => {
    base = await server.start();
  });
  afterAll(() => server.stop());
  beforeEach(() => server.seen.splice(0));

  it.each(['ok-1', 'nc-1', 'deny-1', 'err-1', 'redir-1', 'hang-1', 'drop-1', 'big-1'])(
    'GET %s',
    async (id) => {
      const gateway = new HttpApprovalGateway(`${base}/approve`, 'GET', { timeoutMs: TIMEOUT });
      expect(await gateway.approve({ id })).toEqual(expected(id, TIMEOUT));
    },
  );

  it('does not follow a redirect to a URL that approves', async () => {
    const gateway = new HttpApprovalGateway(`${base}/approve`, 'GET', { timeoutMs: TIMEOUT });
    expect((await gateway.approve({ id: 'redir-2' })).approved).toBe(false);
    expect(server.seen.map((s) => s.url)).toEqual(['/approve/redir-2']);
  });

  it('GET sends no body', async () => {
    const gateway = new HttpApprovalGateway(`${base}/approve`, 'GET', { timeoutMs: TIMEOUT });
    await gateway.approve({ id: 'ok-get', chain: 'ETH' });
    expect(server.seen).toHaveLength(1);
    expect(server.seen[0]).toMatchObject({ method: 'GET', url: '/approve/ok-get', body: '' });
    expect(server.seen[0].headers['content-type']).toBeUndefined();
  });

  it('POST sends the pending transaction as a JSON body', async () => {
    const gateway = new HttpApprovalGateway(`${base}/approve`, 'POST', { timeoutMs: TIMEOUT });
    const tx = {
      id: 'ok-post',
      chain: 'ETH',
      serializedTransaction: '{"to":"0x1"}',
      hashes: ['a'],
      index: 0,
    };
    expect(await gateway.approve(tx)).toEqual({ approved: true });
    expect(server.seen[0]).toMatchObject({ method: 'POST', url: '/approve/ok-post' });
    expect(server.seen[0].headers['content-type']).toBe('application/json');
    expect(JSON.parse(server.seen[0].body)).toEqual(tx);
  });

  it.each(['deny-p', 'err-p', 'redir-p', 'hang-p', 'drop-p'])('POST %s is denied', async (id) => {
    const gateway = new HttpApprovalGateway(`${base}/approve`, 'POST', { timeoutMs: TIMEOUT });
    expect(await gateway.approve({ id })).toEqual(expected(id, TIMEOUT));
  });

  it('encodes the id as one path segment and keeps the query string of externalUrl', async () => {
    const gateway = new HttpApprovalGateway(`${base}/approve?token=t%201`, 'GET', { timeoutMs: TIMEOUT });
    const id = 'ok-a b/c?d#e%f&g';
    expect(await gateway.approve({ id })).toEqual({ approved: true });
    expect(server.seen[0].url).toBe(`/approve/${encodeURIComponent(id)}?token=t%201`);
  });

  it('works with a bare origin as externalUrl', async () => {
    const gateway = new HttpApprovalGateway(base, 'GET', { timeoutMs: TIMEOUT });
    expect(await gateway.approve({ id: 'ok-root' })).toEqual({ approved: true });
    expect(server.seen[0].url).toBe('/ok-root');
  });

  it.each(['', '.', '..'])('denies the id %j without asking', async (id) => {
    const gateway = new HttpApprovalGateway(`${base}/approve`, 'GET', { timeoutMs: TIMEOUT });
    expect(await gateway.approve({ id })).toEqual({ approved: false, reason: expect.stringContaining('id') });
    expect(server.seen).toHaveLength(0);
  });

  it('sends credentials in externalUrl as Basic authentication, never in a reason', async () => {
    const url = new URL(`${base}/approve`);
    url.username = 'kms';
    url.password = 'p@ss:word';
    const gateway = new HttpApprovalGateway(url.href, 'GET', { timeoutMs: TIMEOUT });
    expect(await gateway.approve({ id: 'ok-auth' })).toEqual({ approved: true });
    expect(server.seen[0].headers.authorization).toBe(
      `Basic ${Buffer.from('kms:p@ss:word').toString('base64')}`,
    );
    const denied = await gateway.approve({ id: 'drop-auth' });
    expect(JSON.stringify(denied)).not.toMatch(/kms|p@ss|p%40ss/);
  });

  it('denies when the approval server is unreachable', async () => {
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const { port } = closed.address() as AddressInfo;
    closed.close();
    await once(closed, 'close');
    const gateway = new HttpApprovalGateway(`http://127.0.0.1:${port}/approve`, 'GET', {
      timeoutMs: TIMEOUT,
    });
    expect(await gateway.approve({ id: 'ok-1' })).toEqual({
      approved: false,
      reason: 'approval server unreachable: ECONNREFUSED',
    });
  });

  it('stops waiting when the caller aborts', async () => {
    const gateway = new HttpApprovalGateway(`${base}/approve`, 'GET', { timeoutMs: 10_000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const started = Date.now();
    expect(await gateway.approve({ id: 'hang-abort' }, { signal: controller.signal })).toEqual({
      approved: false,
      reason: 'approval request aborted',
    });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await gateway.approve({ id: 'ok-1' }, { signal: controller.signal })).toEqual({
      approved: false,
      reason: 'approval request aborted',
    });
  });

  it('decides on the status line: a 2xx whose body stalls is approved once the timeout ends the read', async () => {
    const gateway = new HttpApprovalGateway(`${base}/approve`, 'GET', { timeoutMs: TIMEOUT });
    expect(await gateway.approve({ id: 'stall-1' })).toEqual({ approved: true });
  });

  it('decides 100 concurrent approvals correctly', async () => {
    const kinds = ['ok', 'nc', 'deny', 'err', 'redir', 'hang', 'drop', 'big'];
    const ids = Array.from({ length: 100 }, (_, i) => `${kinds[i % kinds.length]}-${i}`);
    for (const method of ['GET', 'POST'] as const) {
      // 5 s: a hundred requests at once must all get their answers on a loaded 2-core machine
      const gateway = new HttpApprovalGateway(`${base}/approve`, method, { timeoutMs: 5_000 });
      const decisions = await Promise.all(ids.map((id) => gateway.approve({ id, chain: 'ETH' })));
      decisions.forEach((decision, i) => expect(decision).toEqual(expected(ids[i], 5_000)));
      expect(decisions.filter((d) => d.approved)).toHaveLength(
        ids.filter((id) => /^(ok|nc|big)-/.test(id)).length,
      );
    }
  }, 60_000);

  it('rejects a configuration it cannot use', () => {
    expect(() => new HttpApprovalGateway('ftp://127.0.0.1/approve')).toThrow(
      'externalUrl must be an http(s) URL',
    );
    expect(() => new HttpApprovalGateway('http://user:secret@[bad')).toThrow(
      /^externalUrl is not a valid URL$/,
    );
    expect(() => new HttpApprovalGateway(`${base}/approve`, 'PUT' as 'GET')).toThrow(
      'externalUrlMethod must be GET or POST',
    );
    expect(() => new HttpApprovalGateway(`${base}/approve`, 'GET', { timeoutMs: 0 })).toThrow(
      'timeoutMs must be > 0',
    );
  });
});
