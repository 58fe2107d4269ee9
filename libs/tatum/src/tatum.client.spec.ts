import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { gzipSync } from 'node:zlib';
import { FakeTatumApi, JsonRpcFault } from '@kms/test-support/fake-tatum-api';
import type { PendingTransaction } from './pending-transaction';
import { TatumClient } from './tatum.client';
import type { TatumClientOptions } from './tatum-client.types';
import { TatumApiError, TatumRpcError } from './tatum.errors';

const API_KEY = 'sk-SECRET-api-key-0123456789';
const WALLET = '6e3b2a4c-1f0d-4c8e-9a57-0b2f5d7e9c11';

const pendingTx = (id: string, hashes: string[], chain = 'ETH'): Omit<PendingTransaction, 'received'> => ({
  id,
  chain,
  serializedTransaction: JSON.stringify({
    to: '0x0000000000000000000000000000000000000001',
    value: '1',
    nonce: 0,
  }),
  hashes,
});

/** The rejection of a promise, to assert on its fields. */
async function failure(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error('expected a rejection');
}

describe('TatumClient', () => {
  let api: FakeTatumApi;
  let client: TatumClient;
  let warnings: string[];
  const clients: TatumClient[] = [];

  const makeClient = (options: Partial<TatumClientOptions> = {}): TatumClient => {
    const made = new TatumClient({
      apiUrl: api.url,
      apiKey: API_KEY,
      clientVersion: '1.2.3',
      timeoutMs: 2_000,
      retry: { baseDelayMs: 5 },
      logger: { warn: (message) => warnings.push(message) },
      ...options,
    });
    clients.push(made);
    return made;
  };

  beforeEach(async () => {
    warnings = [];
    api = await FakeTatumApi.start();
    client = makeClient();
  });

  afterEach(async () => {
    for (const made of clients.splice(0)) made.onModuleDestroy();
    await api.stop();
  });

  describe('pending', () => {
    it('posts the signature ids with the API key and the client version', async () => {
      api.addPending([pendingTx('p1', [WALLET]), pendingTx('p2', ['other-wallet'])]);

      const batch = await client.pending('ETH', [WALLET]);

      const served = pendingTx('p1', [WALLET]);
      expect(batch).toEqual({ transactions: [{ ...served, received: served }], invalid: [] });
      const [request] = api.requests;
      expect(request).toMatchObject({
        method: 'POST',
        path: '/v3/kms/pending/ETH',
        body: { signatureIds: [WALLET] },
      });
      expect(request.headers).toMatchObject({
        'x-api-key': API_KEY,
        'x-ttm-kms-client-version': '1.2.3',
        'content-type': 'application/json',
      });
    });

    it('makes no request for an empty id list, even without an API key', async () => {
      const keyless = makeClient({ apiKey: undefined });
      await expect(keyless.pending('ETH', [])).resolves.toEqual({ transactions: [], invalid: [] });
      expect(api.requests).toHaveLength(0);
    });

    it('sends at most 25,000 ids per request and returns each transaction once', async () => {
      const ids = Array.from({ length: 60_000 }, (_, i) => `wallet-${i}`);
      api.addPending([
        pendingTx('early', ['wallet-1']),
        pendingTx('spanning', ['wallet-2', 'wallet-59999']),
        pendingTx('late', ['wallet-55000']),
      ]);

      const batch = await client.pending('ETH', ids);

      expect(
        api.requests.map((request) => (request.body as { signatureIds: string[] }).signatureIds.length),
      ).toEqual([25_000, 25_000, 10_000]);
      expect(batch.transactions.map((tx) => tx.id)).toEqual(['early', 'spanning', 'late']);
    });

    it('returns invalid items separately, with their id, and keeps the valid ones', async () => {
      api.addPending(pendingTx('good', [WALLET]));
      api.addRawPending({ id: 'no-payload', chain: 'ETH', hashes: [WALLET] }, 'ETH', [WALLET]);
      api.addRawPending('not an object', 'ETH', [WALLET]);

      const batch = await client.pending('ETH', [WALLET]);

      expect(batch.transactions.map((tx) => tx.id)).toEqual(['good']);
      expect(batch.invalid.map((item) => [item.id, item.error.code])).toEqual([
        ['no-payload', 'INVALID_PENDING_ITEM'],
        [undefined, 'INVALID_PENDING_ITEM'],
      ]);
      expect(batch.invalid[0].error.message).toContain('serializedTransaction');
    });

    it('rejects an answer that is not an array, without retrying', async () => {
      api.failNext('pending', { status: 200, body: { transactions: [] } });
      const error = await failure(client.pending('ETH', [WALLET]));
      expect(error).toBeInstanceOf(TatumApiError);
      expect(error).toMatchObject({ code: 'TATUM_API_ERROR', failure: 'malformed-response', status: 200 });
      expect(api.requests).toHaveLength(1);
    });

    it('refuses a pending answer over its limit, and other answers over theirs', async () => {
      api.addPending(pendingTx('p1', [WALLET]));
      const limited = makeClient({ maxPendingAnswerBytes: 100, maxAnswerBytes: 10 });
      const error = await failure(limited.pending('ETH', [WALLET]));
      expect(error).toMatchObject({
        failure: 'malformed-response',
        message: expect.stringContaining('answer larger than 100 bytes'),
      });
      await expect(makeClient({ maxAnswerBytes: 10 }).pending('ETH', [WALLET])).resolves.toMatchObject({
        transactions: [{ id: 'p1' }],
      });
      await expect(limited.request('GET', '/v3/blockchain/fee/ETH')).rejects.toMatchObject({
        message: expect.stringContaining('larger than 10 bytes'),
      });
    });
  });

  describe('retries', () => {
    it('retries 5xx answers, then succeeds', async () => {
      api.addPending(pendingTx('p1', [WALLET]));
      api.failNext('pending', '500', 2);

      await expect(client.pending('ETH', [WALLET])).resolves.toMatchObject({ transactions: [{ id: 'p1' }] });
      expect(api.requestsTo('pending')).toHaveLength(3);
      expect(warnings.filter((line) => line.includes('HTTP 500; retry'))).toHaveLength(2);
    });

    it('gives up after the configured attempts', async () => {
      api.failNext('pending', '500', 10);
      const error = await failure(client.pending('ETH', [WALLET]));
      expect(error).toMatchObject({
        failure: 'http',
        status: 500,
        message:
          'Tatum API POST /v3/kms/pending/ETH failed: HTTP 500 (internal.error: Injected fault) (after 3 attempts)',
      });
      expect(api.requestsTo('pending')).toHaveLength(3);
    });

    it('never retries a 4xx answer and shows Tatum’s error code and message', async () => {
      api.failNext('pending', {
        status: 403,
        body: { statusCode: 403, errorCode: 'kms.forbidden', message: 'Not allowed' },
      });
      const error = await failure(client.pending('ETH', [WALLET]));
      expect(error.message).toBe(
        'Tatum API POST /v3/kms/pending/ETH failed: HTTP 403 (kms.forbidden: Not allowed)',
      );
      expect(api.requests).toHaveLength(1);
    });

    it('times out a hanging request and retries it', async () => {
      const impatient = makeClient({ timeoutMs: 150 });
      api.addPending(pendingTx('p1', [WALLET]));
      api.failNext('pending', 'hang');

      await expect(impatient.pending('ETH', [WALLET])).resolves.toMatchObject({
        transactions: [{ id: 'p1' }],
      });
      expect(api.requestsTo('pending')).toHaveLength(2);
    });

    it('reports a timeout once the attempts are spent', async () => {
      const impatient = makeClient({ timeoutMs: 100, retry: { attempts: 1 } });
      api.failNext('pending', 'hang');
      const error = await failure(impatient.pending('ETH', [WALLET]));
      expect(error).toMatchObject({ failure: 'timeout', message: expect.stringContaining('within 100 ms') });
    });

    it('retries when the server destroys the connection', async () => {
      api.addPending(pendingTx('p1', [WALLET]));
      api.failNext('pending', 'close');
      await expect(client.pending('ETH', [WALLET])).resolves.toMatchObject({ transactions: [{ id: 'p1' }] });
      expect(api.requestsTo('pending')).toHaveLength(2);
    });

    it('does not retry malformed JSON', async () => {
      api.failNext('pending', 'malformed-json');
      const error = await failure(client.pending('ETH', [WALLET]));
      expect(error).toMatchObject({
        code: 'TATUM_API_ERROR',
        status: 200,
        request: 'POST /v3/kms/pending/ETH',
        message: 'Tatum API POST /v3/kms/pending/ETH failed: HTTP 200: the body is not JSON',
      });
      expect(api.requests).toHaveLength(1);
    });

    it('reuses one kept-alive connection for consecutive calls', async () => {
      await client.pending('ETH', [WALLET]);
      await client.pending('BTC', [WALLET]);
      await client.request('GET', '/v3/blockchain/fee/ETH');
      expect(new Set(api.requests.map((request) => request.remotePort)).size).toBe(1);
    });
  });

  describe('broadcast', () => {
    it('posts txData and the pending id to the chain’s path and completes the pending transaction', async () => {
      api.addPending(pendingTx('p1', [WALLET], 'BTC'));
      api.forwardBroadcasts('BTC', (txData) => `txid-of-${txData}`);

      await expect(client.broadcast('bitcoin', '0200beef', 'p1')).resolves.toEqual({
        txId: 'txid-of-0200beef',
      });
      expect(api.requests[0]).toMatchObject({
        path: '/v3/bitcoin/broadcast',
        body: { txData: '0200beef', signatureId: 'p1' },
      });
      expect(api.broadcasts).toMatchObject([
        { path: 'bitcoin', chain: 'BTC', txData: '0200beef', signatureId: 'p1' },
      ]);
      expect(api.pendingTransactions).toHaveLength(0);
    });

    it('passes on failed: true', async () => {
      api.forwardBroadcasts('ethereum', () => ({ txId: '0xabc', failed: true }));
      await expect(client.broadcast('ethereum', '0xf86c', 'p1')).resolves.toEqual({
        txId: '0xabc',
        failed: true,
      });
    });

    it.each([
      ['a 500 answer', '500'],
      ['a connection closed after the request', 'close'],
    ] as const)('is not retried after %s: the request may have been processed', async (_, fault) => {
      api.failNext('broadcast', fault);
      await expect(client.broadcast('ethereum', '0xf86c', 'p1')).rejects.toBeInstanceOf(TatumApiError);
      expect(api.requestsTo('broadcast')).toHaveLength(1);
    });

    it('is not retried after a timeout', async () => {
      const impatient = makeClient({ timeoutMs: 100 });
      api.failNext('broadcast', 'hang');
      await expect(impatient.broadcast('ethereum', '0xf86c', 'p1')).rejects.toMatchObject({
        failure: 'timeout',
      });
      expect(api.requestsTo('broadcast')).toHaveLength(1);
    });

    it('is retried when no connection could be made', async () => {
      const port = Number(new URL(api.url).port);
      await api.stop();
      const patient = makeClient({
        apiUrl: `http://127.0.0.1:${port}`,
        retry: { attempts: 3, baseDelayMs: 400 },
      });

      const result = patient.broadcast('ethereum', '0xf86c', 'p1');
      await sleep(50); // the first attempt is refused; the next one comes after at least 200 ms
      api = await FakeTatumApi.start({ port });

      await expect(result).resolves.toMatchObject({ txId: expect.stringMatching(/^0x/) });
      expect(api.broadcasts).toHaveLength(1);
    });

    it('reports a refused connection after the attempts', async () => {
      const port = Number(new URL(api.url).port);
      const unreachable = makeClient({ apiUrl: `http://127.0.0.1:${port}` });
      await api.stop();
      const error = await failure(unreachable.broadcast('ethereum', '0xf86c', 'p1'));
      expect(error).toMatchObject({
        failure: 'network',
        message: expect.stringContaining('could not connect (ECONNREFUSED) (after 3 attempts)'),
      });
      api = await FakeTatumApi.start();
    });

    it('rejects an answer without txId and a path that is not one segment', async () => {
      api.failNext('broadcast', { status: 200, body: { ok: true } });
      await expect(client.broadcast('ethereum', '0xf86c', 'p1')).rejects.toMatchObject({
        failure: 'malformed-response',
      });
      await expect(client.broadcast('no/pe', '00', 'p1')).rejects.toMatchObject({
        code: 'UNSUPPORTED_CHAIN',
      });
      await expect(client.broadcast('', '00', 'p1')).rejects.toMatchObject({ code: 'UNSUPPORTED_CHAIN' });
    });

    it('broadcasts to whatever path a chain declares: it knows no chain', async () => {
      await client.broadcast('xyz', 'abcd', 'p1');
      expect(api.requests[0].path).toBe('/v3/xyz/broadcast');
    });

    it('off-chain: posts currency, txData, withdrawalId and the pending id', async () => {
      api.addPending({ ...pendingTx('p1', [WALLET], 'LTC'), withdrawalId: 'w1' });
      const result = await client.offchainBroadcast({
        currency: 'LTC',
        txData: '0100',
        withdrawalId: 'w1',
        signatureId: 'p1',
      });

      expect(result).toEqual({ txId: expect.any(String), completed: true });
      expect(api.requests[0]).toMatchObject({
        path: '/v3/offchain/withdrawal/broadcast',
        body: { currency: 'LTC', txData: '0100', withdrawalId: 'w1', signatureId: 'p1' },
      });
      expect(api.pendingTransactions).toHaveLength(0);
    });

    it.each([
      ['{}', {}, {}],
      ['{completed: true}', { completed: true }, { completed: true }],
      ['{txId: null, completed: false}', { txId: null, completed: false }, { completed: false }],
    ])('off-chain: an answer %s without txId is a withdrawal the API took', async (_, body, result) => {
      api.failNext('offchain-broadcast', { status: 200, body });
      const request = { currency: 'BTC', txData: '0100', withdrawalId: 'w1', signatureId: 'p1' };
      await expect(client.offchainBroadcast(request)).resolves.toEqual(result);
    });

    it('off-chain: a txId that is not a string is malformed', async () => {
      api.failNext('offchain-broadcast', { status: 200, body: { txId: 12 } });
      const request = { currency: 'BTC', txData: '0100', withdrawalId: 'w1', signatureId: 'p1' };
      await expect(client.offchainBroadcast(request)).rejects.toMatchObject({
        failure: 'malformed-response',
      });
    });
  });

  describe('reportErrors', () => {
    it('posts the batch, retrying a 5xx', async () => {
      api.failNext('error-batch', '500');
      await client.reportErrors([{ signatureId: 'p1', error: 'Approval denied' }]);
      expect(api.errorBatches).toEqual([[{ signatureId: 'p1', error: 'Approval denied' }]]);
      expect(api.requestsTo('error-batch')[1].path).toBe('/v3/tatum/kms/batch');
    });

    it('makes no request for no errors', async () => {
      await client.reportErrors([]);
      expect(api.requests).toHaveLength(0);
    });
  });

  describe('request: any path a chain declares', () => {
    it('GETs and POSTs a /v3/ path and returns the parsed answer', async () => {
      api.setNonce('0xAbC0000000000000000000000000000000000001', 7);
      const path = '/v3/polygon/transaction/count/0xAbC0000000000000000000000000000000000001';
      await expect(client.request('GET', path)).resolves.toBe(7);
      expect(api.requests[0]).toMatchObject({ method: 'GET', path });
      api.setFlowKeys({
        proposer: { address: 'e03daebed8ca0615', keyId: 4, privateKey: '11'.repeat(32) },
        payer: { address: 'e03daebed8ca0615', keyId: 0, privateKey: '11'.repeat(32) },
      });
      const signed = (await client.request('POST', '/v3/flow/sign', { data: 'abcd', isPayer: true })) as {
        signature: string;
      };
      expect(signed.signature).toMatch(/^[0-9a-f]{128}$/);
    });

    it('fills {apiKey} in, and shows it nowhere', async () => {
      api.onNode('cardano-preprod', (method, path) => ({ method, path }));
      await expect(
        client.request('POST', '/v3/blockchain/node/cardano-preprod/{apiKey}/construction/preprocess', {}),
      ).resolves.toEqual({ method: 'POST', path: 'construction/preprocess' });
      expect(api.requests[0].path).toBe(
        `/v3/blockchain/node/cardano-preprod/${API_KEY}/construction/preprocess`,
      );
    });

    it('refuses a path outside /v3/ or with .. before sending anything', async () => {
      for (const path of ['/v2/x', 'v3/x', '/v3/../x', '/v3/a b', 'http://elsewhere/v3/x']) {
        await expect(client.request('GET', path)).rejects.toMatchObject({ code: 'TATUM_API_ERROR' });
      }
      expect(api.requests).toHaveLength(0);
    });

    it('retries a read on 5xx but a `once` call only when it surely never left', async () => {
      api.failNext('fee', '500');
      await expect(client.request('GET', '/v3/blockchain/fee/ETH')).resolves.toMatchObject({
        medium: '2000000000',
      });
      expect(api.requestsTo('fee')).toHaveLength(2);
      api.failNext('flow-proposal', '500');
      await expect(
        client.request('GET', '/v3/flow/proposal/false', undefined, { once: true }),
      ).rejects.toThrow(TatumApiError);
      expect(api.requestsTo('flow-proposal')).toHaveLength(1);
    });
  });

  describe('nodeRpc and nodeRest', () => {
    const GATEWAY = '/v3/blockchain/node/ETH/{apiKey}';

    it('sends JSON-RPC 2.0 to a node base path and returns the result', async () => {
      const params = [{ from: '0x01', to: '0x02' }];
      await expect(client.nodeRpc(GATEWAY, 'eth_estimateGas', params)).resolves.toBe('0x5208');
      expect(api.requests[0]).toMatchObject({
        path: `/v3/blockchain/node/ETH/${API_KEY}`,
        body: { jsonrpc: '2.0', id: expect.any(Number), method: 'eth_estimateGas', params },
      });
    });

    it('throws TatumRpcError on an error answer, naming the node', async () => {
      api.onRpc('ETH', () => {
        throw new JsonRpcFault(-32000, 'nonce too low');
      });
      const error = await failure(
        client.nodeRpc(GATEWAY, 'eth_sendRawTransaction', ['0xf86c'], { node: 'ETH' }),
      );
      expect(error).toBeInstanceOf(TatumRpcError);
      expect(error).toMatchObject({
        code: 'TATUM_RPC_ERROR',
        rpcCode: -32000,
        message: 'ETH node: eth_sendRawTransaction failed (-32000): nonce too low',
      });
    });

    it('retries reads on 5xx but not a `once` call', async () => {
      api.failNext('rpc', '500');
      await expect(client.nodeRpc(GATEWAY, 'eth_chainId')).resolves.toBe('0x1');
      expect(api.requestsTo('rpc')).toHaveLength(2);

      api.failNext('rpc', '500');
      await expect(
        client.nodeRpc(GATEWAY, 'eth_sendRawTransaction', ['0xf86c'], { once: true }),
      ).rejects.toMatchObject({ failure: 'http', status: 500 });
      expect(api.requestsTo('rpc')).toHaveLength(3);
    });

    it('REST: {method} {base}/{path}, e.g. MultiversX at /v3/egld/node/{apiKey}', async () => {
      api.onNode('EGLD', (method, path) => (path === 'network/config' ? { data: { method } } : undefined));
      await expect(client.nodeRest('/v3/egld/node/{apiKey}', 'GET', 'network/config')).resolves.toEqual({
        data: { method: 'GET' },
      });
      expect(api.requests[0].path).toBe(`/v3/egld/node/${API_KEY}/network/config`);
      await expect(client.nodeRest('/v3/egld/node/{apiKey}', 'GET', 'nothing')).rejects.toMatchObject({
        status: 404,
      });
    });
  });

  describe('secrets', () => {
    it('never shows the API key in an error or a log line', async () => {
      const impatient = makeClient({ timeoutMs: 100, retry: { attempts: 2, baseDelayMs: 1 } });
      const messages: string[] = [];
      const collect = async (promise: Promise<unknown>): Promise<void> => {
        const error = await failure(promise);
        messages.push(
          error.message,
          String(error),
          JSON.stringify(error),
          String((error as { request?: string }).request),
        );
      };
      const echo = `Cannot POST /v3/blockchain/node/ETH/${API_KEY}`;
      api.failNext('rpc', { status: 404, body: { statusCode: 404, errorCode: 'not.found', message: echo } });
      await collect(impatient.nodeRpc('/v3/blockchain/node/ETH/{apiKey}', 'eth_chainId'));
      api.failNext('rpc', '500', 2);
      await collect(impatient.nodeRpc('/v3/blockchain/node/ETH/{apiKey}', 'eth_chainId'));
      api.failNext('rpc', 'malformed-json');
      await collect(impatient.nodeRpc('/v3/blockchain/node/ETH/{apiKey}', 'eth_chainId'));
      api.failNext('rpc', 'hang', 2);
      await collect(impatient.nodeRpc('/v3/blockchain/node/ETH/{apiKey}', 'eth_chainId'));
      api.failNext('rpc', 'close', 2);
      await collect(impatient.nodeRpc('/v3/blockchain/node/ETH/{apiKey}', 'eth_chainId'));
      api.onRpc('ETH', () => {
        throw new JsonRpcFault(-32000, `bad key ${API_KEY}`);
      });
      await collect(impatient.nodeRpc('/v3/blockchain/node/ETH/{apiKey}', 'eth_chainId'));

      expect(
        messages.filter((message) => message.includes('/v3/blockchain/node/ETH/***')).length,
      ).toBeGreaterThan(5);
      for (const line of [...messages, ...warnings]) expect(line).not.toContain(API_KEY);
      expect(messages.join('\n')).not.toContain(API_KEY.slice(3, 15));
    });

    it('fails clearly without an API key', async () => {
      const keyless = makeClient({ apiKey: undefined });
      await expect(keyless.pending('ETH', [WALLET])).rejects.toMatchObject({ code: 'API_KEY_REQUIRED' });
      await expect(keyless.nodeRpc('/v3/blockchain/node/ETH/{apiKey}', 'eth_chainId')).rejects.toMatchObject({
        code: 'API_KEY_REQUIRED',
      });
      expect(api.requests).toHaveLength(0);
    });
  });

  describe('latest version announcement', () => {
    it('warns about a newer version at most once a minute', async () => {
      let now = 1_000_000;
      const clocked = makeClient({ now: () => now });
      api.announceLatestVersion('1.3.0;CRITICAL;Please upgrade: signing fix');

      await clocked.pending('ETH', [WALLET]);
      await clocked.pending('ETH', [WALLET]);
      now += 59_000;
      await clocked.request('GET', '/v3/blockchain/fee/ETH');
      expect(warnings).toEqual([
        'A newer KMS version 1.3.0 is available (this is 1.2.3) [CRITICAL]: Please upgrade: signing fix',
      ]);

      now += 1_000;
      await clocked.pending('ETH', [WALLET]);
      expect(warnings).toHaveLength(2);
    });

    it('ignores an equal, older or unparsable version', async () => {
      for (const header of ['1.2.3;INFO;same', '1.2.2;INFO;older', 'latest;INFO;what', '']) {
        api.announceLatestVersion(header);
        await client.pending('ETH', [WALLET]);
      }
      expect(warnings).toEqual([]);
    });
  });

  it('reads gzip-compressed answers', async () => {
    const server = createServer((_, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      res.end(gzipSync(JSON.stringify({ slow: '1', medium: '2', fast: '3' })));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const gzipped = makeClient({ apiUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
      await expect(gzipped.request('GET', '/v3/blockchain/fee/ETH')).resolves.toEqual({
        slow: '1',
        medium: '2',
        fast: '3',
      });
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
