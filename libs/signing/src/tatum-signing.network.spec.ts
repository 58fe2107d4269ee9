import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TatumClient } from '@kms/tatum';
import { FakeTatumApi } from '@kms/test-support/fake-tatum-api';
import { TatumSigningNetwork } from './tatum-signing.network';

const API_KEY = 'signing-network-api-key';

/** A node that answers every JSON-RPC call with `{result: <label>}` and every REST call with its path. */
async function labelledNode(label: string): Promise<{ url: string; server: Server; seen: string[] }> {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      seen.push(`${req.method} ${req.url}`);
      const rpc = body ? (JSON.parse(body) as { jsonrpc?: string; id?: number }) : {};
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify(rpc.jsonrpc ? { jsonrpc: '2.0', id: rpc.id, result: label } : { label, url: req.url }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, seen };
}

/** The one implementation of the chains' ChainNetwork port: it knows no chain, only where calls go. */
describe('TatumSigningNetwork', () => {
  let api: FakeTatumApi;
  let client: TatumClient;
  const servers: Server[] = [];

  beforeEach(async () => {
    api = await FakeTatumApi.start({ apiKey: API_KEY });
    client = new TatumClient({
      apiUrl: api.url,
      apiKey: API_KEY,
      clientVersion: '8.0.1',
      retry: { baseDelayMs: 1 },
    });
  });
  afterEach(async () => {
    client.onModuleDestroy();
    await api.stop();
    for (const server of servers.splice(0)) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('tatum(): any API path, {apiKey} filled in', async () => {
    api.setNonce('0xabc', 12);
    const network = new TatumSigningNetwork(client);
    await expect(network.tatum('GET', '/v3/anything/transaction/count/0xabc')).resolves.toBe(12);
    expect(api.requests[0].path).toBe('/v3/anything/transaction/count/0xabc');
  });

  it("node(): without a configured URL, Tatum's gateway by default, or the request's Tatum path", async () => {
    api.onRpc('ZZT', (method) => `gateway:${method}`);
    api.onNode('EGLD', (method, path) => ({ method, path }));
    const network = new TatumSigningNetwork(client);
    await expect(network.node('ZZT', { rpc: 'zzt_ping' })).resolves.toBe('gateway:zzt_ping');
    await expect(
      network.node('EGLD', {
        method: 'GET',
        path: 'network/config',
        fallback: { tatumPath: '/v3/egld/node/{apiKey}' },
      }),
    ).resolves.toEqual({ status: 200, body: { method: 'GET', path: 'network/config' } });
    expect(api.requests.map((request) => request.path)).toEqual([
      `/v3/blockchain/node/ZZT/${API_KEY}`,
      `/v3/egld/node/${API_KEY}/network/config`,
    ]);
  });

  it("node(): the operator's TATUM_KMS_NODE_URL_<NODE> wins ('-' read as '_'), then a public fallback URL", async () => {
    const operator = await labelledNode('operator');
    const publicNode = await labelledNode('public');
    servers.push(operator.server, publicNode.server);
    const network = new TatumSigningNetwork(client, {
      ZZT: operator.url,
      CARDANO_PREPROD: `${operator.url}/rosetta`,
    });
    await expect(network.node('ZZT', { rpc: 'zzt_ping', fallback: { url: publicNode.url } })).resolves.toBe(
      'operator',
    );
    await expect(
      network.node('cardano-preprod', { method: 'POST', path: 'construction/preprocess', body: {} }),
    ).resolves.toEqual({ status: 200, body: { label: 'operator', url: '/rosetta/construction/preprocess' } });
    await expect(
      network.node('VET', { method: 'GET', path: 'blocks/best', fallback: { url: publicNode.url } }),
    ).resolves.toEqual({ status: 200, body: { label: 'public', url: '/blocks/best' } });
    expect(api.requests).toEqual([]);
    expect(publicNode.seen).toEqual(['GET /blocks/best']);
  });

  it('node(): refuses a node name that could leave its path segment', async () => {
    const network = new TatumSigningNetwork(client);
    await expect(network.node('../kms', { rpc: 'x' })).rejects.toThrow('invalid node name');
    expect(api.requests).toEqual([]);
  });
});
