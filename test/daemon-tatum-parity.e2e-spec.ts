import { join } from 'node:path';
import { Transaction, Wallet } from 'ethers';
import { FakeTatumApi } from './support/fake-tatum-api';
import { json, tempDir } from './support/kms-cli';
import { runKmsInProcess } from './support/kms-in-process';
import { writeTestWalletFile } from './support/wallet-files';

/**
 * The daemon against a fake API that answers as Tatum's does, on the calls where tatum-kms 8.0.1 and
 * its SDK set the behaviour: the gas price (the fee endpoint exists for ETH, BTC, LTC and DOGE only;
 * ETH takes `medium`, other EVM chains ask their node; 0 is missing), the nonce of XDC (asked with the
 * 0x address), and the routing of off-chain withdrawals (off-chain endpoint for BTC, LTC, DOGE, BCH,
 * ETH, ONE and ADA only; an answer without txId is a completed withdrawal). Gas choices and nonces
 * are read back from the broadcast bytes.
 */
const PASSWORD = 'tatum-parity-password';
const API_KEY = 'tatum-parity-api-key';
const KEY = '0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318';
const ADDRESS = new Wallet(KEY).address.toLowerCase();
const TO = '0x7567d83b7b8d80addcb281a71d54fc7b3364ffed';
const GWEI = 1_000_000_000n;

describe('daemon --runOnce --testnet: gas price, XDC nonce and off-chain routing as Tatum answers them', () => {
  const { dir, cleanup } = tempDir();
  let api: FakeTatumApi;
  const env = () => ({ TATUM_KMS_PASSWORD: PASSWORD, TATUM_API_URL: api.url, HOME: dir });
  const wallets = new Map<string, string>();
  const path = () => join(dir, 'parity.dat');

  /** A key wallet of `chain` (the same key on every chain), stored once. */
  const wallet = async (chain: string): Promise<string> => {
    if (!wallets.has(chain)) {
      const run = await runKmsInProcess(['storemanagedprivatekey', chain, '--testnet', '--path', path()], {
        env: env(),
        input: `${KEY}\n`,
      });
      wallets.set(chain, json<{ signatureId: string }>(run).signatureId);
    }
    return wallets.get(chain)!;
  };
  const daemon = async (chain: string) => {
    const run = await runKmsInProcess(
      ['daemon', '--runOnce', '--testnet', '--chain', chain, '--path', path(), '--apiKey', API_KEY],
      { env: env() },
    );
    return run;
  };
  const pending = async (id: string, chain: string, tx: object, extra: object = {}) => {
    api.addPending({
      id,
      chain,
      hashes: [await wallet(chain)],
      serializedTransaction: JSON.stringify(tx),
      ...extra,
    });
  };
  const broadcastOf = (id: string): Transaction => {
    const sent = api.broadcasts.filter((b) => b.signatureId === id);
    expect(sent).toHaveLength(1);
    return Transaction.from(sent[0].txData);
  };

  beforeAll(async () => {
    api = await FakeTatumApi.start({ apiKey: API_KEY });
    await writeTestWalletFile(path(), PASSWORD);
  });
  afterAll(async () => {
    await api.stop();
    cleanup();
  });
  afterEach(() => {
    api.onRpc('BSC', undefined);
    api.clearFaults();
  });

  describe('gas price', () => {
    it('the fake API refuses the fee endpoint for chains other than ETH, BTC, LTC and DOGE, as the API does', async () => {
      for (const [chain, status] of [
        ['ETH', 200],
        ['BTC', 200],
        ['LTC', 200],
        ['DOGE', 200],
        ['BSC', 400],
        ['MATIC', 400],
        ['CELO', 400],
      ] as const) {
        const answer = await fetch(`${api.url}/v3/blockchain/fee/${chain}`, {
          headers: { 'x-api-key': API_KEY },
        });
        expect([chain, answer.status]).toEqual([chain, status]);
      }
    });

    it("ETH: a missing gasPrice, or 0, '0' and '0x0', is the fee endpoint's medium", async () => {
      api.setFee({ slow: '1000000000', medium: '2000000000', fast: '3000000000' });
      const feeCalls = api.requestsTo('fee').length;
      const base = { to: TO, value: '1', nonce: 1, gas: 21000, chainId: 11155111 };
      await pending('eth-none', 'ETH', base);
      await pending('eth-0', 'ETH', { ...base, nonce: 2, gasPrice: 0 });
      await pending('eth-0s', 'ETH', { ...base, nonce: 3, gasPrice: '0' });
      await pending('eth-0x0', 'ETH', { ...base, nonce: 4, gasPrice: '0x0' });
      await pending('eth-own', 'ETH', { ...base, nonce: 5, gasPrice: '7000000000' });
      const run = await daemon('ETH');
      expect(run.code).toBe(0);
      for (const id of ['eth-none', 'eth-0', 'eth-0s', 'eth-0x0']) {
        expect([id, broadcastOf(id).gasPrice]).toEqual([id, 2n * GWEI]);
      }
      expect(broadcastOf('eth-own').gasPrice).toBe(7n * GWEI);
      expect(broadcastOf('eth-none').from?.toLowerCase()).toBe(ADDRESS);
      expect(
        api
          .requestsTo('fee')
          .slice(feeCalls)
          .map((request) => request.path),
      ).toEqual(Array(4).fill('/v3/blockchain/fee/ETH'));
    });

    it("BSC: a missing gasPrice (or '0x0') is the node's eth_gasPrice; the fee endpoint is never asked", async () => {
      const feeCalls = api.requestsTo('fee').length;
      const asked: string[] = [];
      api.onRpc('BSC', (method) => {
        asked.push(method);
        return method === 'eth_gasPrice' ? `0x${(5n * GWEI).toString(16)}` : undefined;
      });
      const base = { to: TO, value: '1', nonce: 1, gas: 21000 };
      await pending('bsc-none', 'BSC', base);
      await pending('bsc-0x0', 'BSC', { ...base, nonce: 2, gasPrice: '0x0' });
      const run = await daemon('BSC');
      expect(run.code).toBe(0);
      for (const id of ['bsc-none', 'bsc-0x0']) {
        const tx = broadcastOf(id);
        expect([id, tx.gasPrice, tx.chainId]).toEqual([id, 5n * GWEI, 97n]);
      }
      expect(asked).toEqual(['eth_gasPrice', 'eth_gasPrice']);
      expect(api.requestsTo('fee')).toHaveLength(feeCalls);
      expect(
        api.requestsTo('rpc').every((request) => request.path === `/v3/blockchain/node/BSC/${API_KEY}`),
      ).toBe(true);
      expect(api.errorBatches.flat().filter((error) => error.signatureId.startsWith('bsc-'))).toEqual([]);
    });
  });

  it('XDC: the nonce is asked with the 0x form of the address, as the SDK does', async () => {
    api.setNonce(ADDRESS, 41);
    await pending('xdc-1', 'XDC', { to: `xdc${TO.slice(2)}`, value: '1', gasPrice: '250000000', gas: 21000 });
    const run = await daemon('XDC');
    expect(run.code).toBe(0);
    expect(api.requestsTo('nonce').map((request) => request.path)).toEqual([
      `/v3/xdc/transaction/count/${ADDRESS}`,
    ]);
    const tx = broadcastOf('xdc-1');
    expect([tx.nonce, tx.chainId, tx.to?.toLowerCase()]).toEqual([41, 51n, TO]);
  });

  describe('off-chain withdrawals', () => {
    const tx = { to: TO, value: '1', nonce: 9, gasPrice: '1000000000', gas: 21000 };

    it('ETH: to /v3/offchain/withdrawal/broadcast; an answer without txId is a completed withdrawal', async () => {
      // The API's BroadcastResponse has txId and completed both optional.
      api.failNext('offchain-broadcast', { status: 200, body: { completed: true } });
      await pending('eth-w', 'ETH', { ...tx, chainId: 11155111 }, { withdrawalId: 'withdrawal-eth' });
      const run = await daemon('ETH');
      expect(run.code).toBe(0);
      const [request] = api.requestsTo('offchain-broadcast');
      expect(request.body).toMatchObject({
        currency: 'ETH',
        withdrawalId: 'withdrawal-eth',
        signatureId: 'eth-w',
      });
      expect(Transaction.from((request.body as { txData: string }).txData).nonce).toBe(9);
      expect(api.broadcasts.filter((b) => b.signatureId === 'eth-w')).toEqual([]);
      expect(api.errorBatches.flat().filter((error) => error.signatureId === 'eth-w')).toEqual([]);
      expect(run.stdout + run.stderr).toContain('taken by the API (its answer has no txId)');
      api.removePending('eth-w');
    });

    it("BSC: to the chain's own /v3/bsc/broadcast, as tatum-kms 8.0.1 does", async () => {
      const offchain = api.requestsTo('offchain-broadcast').length;
      await pending('bsc-w', 'BSC', tx, { withdrawalId: 'withdrawal-bsc' });
      const run = await daemon('BSC');
      expect(run.code).toBe(0);
      expect(api.broadcasts.filter((b) => b.signatureId === 'bsc-w').map((b) => b.path)).toEqual(['bsc']);
      expect(broadcastOf('bsc-w').nonce).toBe(9);
      expect(api.requestsTo('offchain-broadcast')).toHaveLength(offchain);
    });
  });
});
