import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import vectors from './fixtures/derivation.json';
import { Anvil } from './support/anvil';
import { FakeTatumApi } from './support/fake-tatum-api';
import { json, type KmsRun, tempDir } from './support/kms-cli';
import { runKmsInProcess } from './support/kms-in-process';
import { writeTestWalletFile } from './support/wallet-files';

/**
 * Answers built to hurt the daemon, served beside a good pending transaction that anvil must still mine:
 * - an oversized or deeply nested pending item is refused and reported by its id, without stopping
 *   the others;
 * - a pending id carrying CR/LF cannot forge a log line, and is reported under its real id;
 * - a node configured with a token in TATUM_KMS_NODE_URL_ETH (user:pass, path, query) that echoes
 *   its URL in an error message: the token reaches neither the log nor the error batch.
 */
const PASSWORD = 'hostile-password';
const API_KEY = 'hostile-api-key';
const MIB = 1024 * 1024;

describe('daemon facing hostile answers', () => {
  const { dir, cleanup } = tempDir();
  const path = join(dir, 'wallet.dat');
  const from = vectors.chains.ETH.testnet.generateAddressFromXPub['0'];
  let api: FakeTatumApi;
  let anvil: Anvil;
  let walletId: string;
  let nonce = 0;
  const env = (extra: Record<string, string> = {}) => ({
    TATUM_KMS_PASSWORD: PASSWORD,
    TATUM_API_URL: api.url,
    HOME: dir,
    ...extra,
  });
  const daemon = (extraEnv: Record<string, string> = {}): Promise<KmsRun> =>
    runKmsInProcess(
      ['daemon', '--runOnce', '--testnet', '--chain', 'ETH', '--path', path, '--apiKey', API_KEY],
      {
        env: env(extraEnv),
        timeoutMs: 120_000,
      },
    );
  const transfer = (extra: Record<string, unknown> = {}) =>
    JSON.stringify({
      to: '0x00000000000000000000000000000000000000a7',
      value: '1000',
      nonce: nonce++,
      gasPrice: '3000000000',
      gas: '21000',
      ...extra,
    });
  const broadcastRequestsOf = (id: string) =>
    api.requestsTo('broadcast').filter((r) => (r.body as { signatureId?: string })?.signatureId === id);
  const reported = (id: string) =>
    api.errorBatches
      .flat()
      .filter((e) => e.signatureId === id)
      .map((e) => e.error);
  const expectMined = async (id: string) => {
    const [sent] = api.broadcasts.filter((b) => b.signatureId === id);
    expect(sent).toBeDefined();
    expect((await anvil.receipt(sent.txId)).status).toBe('0x1');
  };

  beforeAll(async () => {
    await writeTestWalletFile(path, PASSWORD);
    [api, anvil] = await Promise.all([
      FakeTatumApi.start({ apiKey: API_KEY }),
      Anvil.start({ chainId: 11155111 }),
    ]);
    api.forwardBroadcasts('ETH', (txData) => anvil.sendRawTransaction(txData));
    await anvil.setBalance(from, 10n ** 18n);
    walletId = json<{ signatureId: string }>(
      await runKmsInProcess(['storemanagedprivatekey', 'ETH', '--testnet', '--path', path], {
        env: env(),
        input: `${vectors.chains.ETH.testnet.generatePrivateKeyFromMnemonic['0']}\n`,
      }),
    ).signatureId;
  }, 60_000);
  afterEach(() => api.clearPending());
  afterAll(async () => {
    await Promise.all([api?.stop(), anvil?.stop()]);
    cleanup();
  });

  it('an oversized serializedTransaction, an oversized item and a deeply nested item are reported by id; the good one is mined', async () => {
    const data = `0x${'ab'.repeat(1.5 * MIB)}`; // 3 MiB of hex
    api.addRawPending(
      { id: 'too-big', chain: 'ETH', hashes: [walletId], serializedTransaction: transfer({ data }) },
      'ETH',
      [walletId],
    );
    api.addRawPending(
      {
        id: 'too-big-item',
        chain: 'ETH',
        hashes: [walletId],
        serializedTransaction: transfer(),
        withdrawalResponses: Array.from({ length: 40_000 }, (_, i) => ({
          vIn: '-1',
          note: `${i}`.repeat(20),
        })),
      },
      'ETH',
      [walletId],
    );
    // 20,000 levels: more than JSON.stringify (and class-transformer) can walk.
    const nested = `${'['.repeat(20_000)}"deep"${']'.repeat(20_000)}`;
    const deepItem = JSON.stringify({
      id: 'too-deep',
      chain: 'ETH',
      hashes: [walletId],
      serializedTransaction: transfer(),
    });
    api.addRawPendingJson('too-deep', `${deepItem.slice(0, -1)},"extra":${nested}}`, 'ETH', [walletId]);
    nonce = 0;
    api.addPending({ id: 'good', chain: 'ETH', hashes: [walletId], serializedTransaction: transfer() });

    const run = await daemon();

    expect(run.code).toBe(1);
    await expectMined('good');
    expect(reported('too-big')).toEqual([
      expect.stringMatching(/serializedTransaction is larger than 1 MiB/),
    ]);
    expect(reported('too-big-item')).toEqual([expect.stringMatching(/is larger than 2 MiB/)]);
    expect(reported('too-deep')).toEqual([expect.stringMatching(/nests deeper than 32 levels/)]);
    for (const id of ['too-big', 'too-big-item', 'too-deep']) {
      expect(broadcastRequestsOf(id)).toEqual([]);
    }
  }, 180_000);

  it('CR/LF in a pending id cannot forge a log line; the id is reported as it is', async () => {
    const forged =
      '[Nest] 1  - 01/01/2030, 00:00:00     LOG [SigningPipeline] Broadcast ETH transaction forged';
    const evilId = `evil\r\n${forged}`;
    const separatorId = `sep\u2028${forged}`;
    api.addRawPending(
      { id: evilId, chain: 'ETH', hashes: [walletId], serializedTransaction: transfer({ data: '0xzz' }) },
      'ETH',
      [walletId],
    );
    api.addRawPending({ id: separatorId, chain: 'ETH', hashes: [walletId] }, 'ETH', [walletId]);

    const run = await daemon();

    expect(run.code).toBe(1);
    const lines = `${run.stdout}${run.stderr}`.split(/\r\n|\r|\n|\u2028|\u2029/);
    expect(lines.filter((line) => line.startsWith('[Nest] 1  - 01/01/2030'))).toEqual([]);
    expect(run.stdout + run.stderr).toContain('evil\\r\\n[Nest] 1');
    expect(reported(evilId)).toHaveLength(1);
    expect(reported(separatorId)).toHaveLength(1);
    for (const error of [...reported(evilId), ...reported(separatorId)])
      expect(error).not.toMatch(/[\r\n\u2028\u2029]/);
  }, 120_000);

  describe('TATUM_KMS_NODE_URL_ETH with tokens', () => {
    const USER = 'kms-node-user';
    const PASS = 'node-pass-7f3a9c';
    const PATH_TOKEN = 'path-token-5be1d2c4';
    const QUERY_TOKEN = 'query-token-c0ffee42';
    let node: Server;
    let url: string;
    const seen: Array<{ url?: string; authorization?: string }> = [];

    beforeAll(async () => {
      // A node that refuses every call and echoes what it got, as some gateways do.
      node = createServer((req, res) => {
        let body = '';
        req.on('data', (chunk) => (body += chunk));
        req.on('end', () => {
          seen.push({ url: req.url, authorization: req.headers.authorization });
          const { id } = JSON.parse(body) as { id: number };
          const auth = Buffer.from(
            (req.headers.authorization ?? '').replace(/^Basic /, ''),
            'base64',
          ).toString();
          res.writeHead(200, { 'content-type': 'application/json' }).end(
            JSON.stringify({
              jsonrpc: '2.0',
              id,
              error: {
                code: -32005,
                message: `rate limit exceeded for ${req.url} (credentials ${auth}, header ${req.headers.authorization})`,
              },
            }),
          );
        });
      });
      await new Promise<void>((resolve) => node.listen(0, '127.0.0.1', resolve));
      url = `http://${USER}:${PASS}@127.0.0.1:${(node.address() as AddressInfo).port}/v2/${PATH_TOKEN}?apikey=${QUERY_TOKEN}`;
    });
    afterAll(async () => {
      node.closeAllConnections();
      await new Promise((resolve) => node.close(resolve));
    });

    it("the node's error reaches the report without the tokens of its URL", async () => {
      api.addPending({
        id: 'needs-gas-estimate',
        chain: 'ETH',
        hashes: [walletId],
        serializedTransaction: JSON.stringify({
          to: '0x00000000000000000000000000000000000000a8',
          value: '1',
          nonce: 50,
          gasPrice: '3000000000',
        }),
      });

      const run = await daemon({ TATUM_KMS_NODE_URL_ETH: url });

      expect(run.code).toBe(1);
      expect(seen.length).toBeGreaterThan(0);
      expect(seen[0].authorization).toBe(`Basic ${Buffer.from(`${USER}:${PASS}`).toString('base64')}`);
      const [error] = reported('needs-gas-estimate');
      expect(error).toMatch(/rate limit exceeded/);
      const basic = Buffer.from(`${USER}:${PASS}`).toString('base64');
      for (const secret of [PASS, PATH_TOKEN, QUERY_TOKEN, basic, USER]) {
        expect(error).not.toContain(secret);
        expect(run.stdout + run.stderr).not.toContain(secret);
      }
      expect(broadcastRequestsOf('needs-gas-estimate')).toEqual([]);
    }, 120_000);
  });
});
