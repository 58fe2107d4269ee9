import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MAX_NODE_ANSWER_BYTES, NodeRpcClient } from './node-rpc.client';

describe('NodeRpcClient', () => {
  let server: Server;
  let base: string;
  let answer: (url: string) => { status?: number; body: string };
  const seen: Array<{ url?: string; headers: IncomingHttpHeaders }> = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        seen.push({ url: req.url, headers: req.headers });
        const { status = 200, body } = answer(req.url ?? '');
        res.writeHead(status, { 'content-type': 'application/json' }).end(body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => (seen.length = 0));

  it('sends user:password of the URL as Basic authorization, and redacts every credential from the node message', async () => {
    answer = (url) => ({
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        error: { code: -32005, message: `limit for ${url} of alice:s3cret-pw` },
      }),
    });
    const client = new NodeRpcClient('ETH', `http://alice:s3cret-pw@${base}/v2/tok3n-abcdef?key=k3y-123456`);
    const error = await client.call('eth_estimateGas', []).catch((e: unknown) => e);
    expect(seen[0].url).toBe('/v2/tok3n-abcdef?key=k3y-123456');
    expect(seen[0].headers.authorization).toBe(`Basic ${Buffer.from('alice:s3cret-pw').toString('base64')}`);
    expect((error as Error).message).toMatch(
      /^ETH node: eth_estimateGas failed: limit for \*\*\* of \*\*\* \(-32005\)$/,
    );
  });

  it(`refuses an answer larger than ${MAX_NODE_ANSWER_BYTES} bytes`, async () => {
    answer = () => ({
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, result: 'x'.repeat(MAX_NODE_ANSWER_BYTES) }),
    });
    const client = new NodeRpcClient('SOL', `http://${base}/`);
    await expect(client.call('getBlockHeight', [])).rejects.toMatchObject({
      code: 'NODE_RPC_ERROR',
      message: `SOL node: getBlockHeight at http://${base}: answer larger than ${MAX_NODE_ANSWER_BYTES} bytes`,
    });
  });

  it('gives REST status and body, undefined for a body that is not JSON', async () => {
    answer = (url) =>
      url.endsWith('/missing') ? { status: 404, body: 'not json' } : { body: '{"ok":true}' };
    const client = new NodeRpcClient('FLOW', `http://${base}`);
    await expect(client.request('GET', 'v1/missing')).resolves.toEqual({ status: 404, body: undefined });
    await expect(client.request('GET', 'v1/blocks?height=final')).resolves.toEqual({
      status: 200,
      body: { ok: true },
    });
    expect(seen.map((r) => r.url)).toEqual(['/v1/missing', '/v1/blocks?height=final']);
  });
});
