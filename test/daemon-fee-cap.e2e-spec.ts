import { join } from 'node:path';
import { Transaction as EvmTransaction } from 'ethers';
import vectors from './fixtures/derivation.json';
import { Anvil } from './support/anvil';
import { FakeTatumApi } from './support/fake-tatum-api';
import { json, type KmsRun, tempDir } from './support/kms-cli';
import { runKmsInProcess } from './support/kms-in-process';
import { writeTestWalletFile } from './support/wallet-files';

/**
 * Fees the KMS fills in from the network after approval are capped (TATUM_KMS_MAX_FEE_<CHAIN>, in the
 * chain's native unit; ETH defaults to 0.05): a gas price or gas limit answered by a hostile API or
 * node that makes gasPrice x gasLimit exceed the cap is refused and reported, nothing is signed. Fees
 * the pending transaction sets itself are left as they are. anvil mines what is signed.
 */
const PASSWORD = 'fee-cap-password';
const API_KEY = 'fee-cap-api-key';
const ETHER = 10n ** 18n;
const TO = '0x00000000000000000000000000000000000000f1';
const MARKED_VALUE = 7777; // eth_estimateGas answers 30,000,000 for this value

describe('daemon: fees filled from the network are capped', () => {
  const { dir, cleanup } = tempDir();
  const path = join(dir, 'wallet.dat');
  const from = vectors.chains.ETH.testnet.generateAddressFromXPub['0'];
  let api: FakeTatumApi;
  let anvil: Anvil;
  let walletId: string;
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
        timeoutMs: 90_000,
      },
    );
  const pending = (id: string, tx: Record<string, unknown>) =>
    api.addPending({ id, chain: 'ETH', hashes: [walletId], serializedTransaction: JSON.stringify(tx) });
  const broadcastRequestsOf = (id: string) =>
    api.requestsTo('broadcast').filter((r) => (r.body as { signatureId?: string })?.signatureId === id);
  const reported = (id: string) =>
    api.errorBatches
      .flat()
      .filter((e) => e.signatureId === id)
      .map((e) => e.error);
  const minedTx = async (id: string) => {
    const [sent] = api.broadcasts.filter((b) => b.signatureId === id);
    expect(sent).toBeDefined();
    expect((await anvil.receipt(sent.txId)).status).toBe('0x1');
    return EvmTransaction.from(sent.txData);
  };

  beforeAll(async () => {
    await writeTestWalletFile(path, PASSWORD);
    [api, anvil] = await Promise.all([
      FakeTatumApi.start({ apiKey: API_KEY }),
      Anvil.start({ chainId: 11155111 }),
    ]);
    api.forwardNonces((_path, address) => anvil.nonce(address));
    api.onRpc('ETH', (method, params) => {
      const call = (params as Array<{ value?: string }>)[0];
      if (method === 'eth_estimateGas' && BigInt(call?.value ?? 0) === BigInt(MARKED_VALUE))
        return '0x1c9c380';
      return anvil.rpc(method, params as unknown[]);
    });
    api.forwardBroadcasts('ETH', (txData) => anvil.sendRawTransaction(txData));
    await anvil.setBalance(from, 1000n * ETHER);
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

  it('default cap (0.05 ETH): a 476 ETH/gas price from the API and a 30,000,000 gas estimate are refused; fees set in the transaction are kept', async () => {
    api.setFee({
      slow: '476000000000000000000',
      medium: '476000000000000000000',
      fast: '476000000000000000000',
    });
    pending('api-gas-price', { to: TO, value: '1000000000000000' });
    pending('node-gas-limit', { to: TO, value: String(MARKED_VALUE), nonce: 5, gasPrice: '3000000000' });
    // 100 gwei x 1,000,000 gas = 0.1 ETH at most, above the cap, but chosen by the transaction.
    pending('own-fees', { to: TO, value: '1', nonce: 0, gasPrice: '100000000000', gas: '1000000' });
    // Type 2: its own maxFeePerGas (1000 gwei) x the node's estimate (21,000) = 0.021 ETH, under the cap.
    pending('own-max-fee-network-gas', {
      to: TO,
      value: '2',
      nonce: 1,
      maxFeePerGas: '1000000000000',
      maxPriorityFeePerGas: '1',
    });

    const run = await daemon();

    expect(run.code).toBe(1);
    expect(broadcastRequestsOf('api-gas-price')).toEqual([]);
    expect(reported('api-gas-price')).toEqual([
      expect.stringMatching(/fee .*exceeds the cap of 0\.05 ETH \(TATUM_KMS_MAX_FEE_ETH\)/),
    ]);
    expect(broadcastRequestsOf('node-gas-limit')).toEqual([]);
    expect(reported('node-gas-limit')).toEqual([
      expect.stringMatching(/0\.09 ETH .*exceeds the cap of 0\.05 ETH/),
    ]);
    const own = await minedTx('own-fees');
    expect([own.gasPrice, own.gasLimit]).toEqual([100_000_000_000n, 1_000_000n]);
    const type2 = await minedTx('own-max-fee-network-gas');
    expect([type2.maxFeePerGas, type2.gasLimit]).toEqual([1_000_000_000_000n, 21_000n]);
    expect(await anvil.nonce(from)).toBe(2);
  }, 120_000);

  it("TATUM_KMS_MAX_FEE_ETH lowers the cap: an ordinary 2 gwei (the fee endpoint's medium) x 21,000 fee is refused under 0.00001 ETH", async () => {
    api.setFee({ slow: '1000000000', medium: '2000000000', fast: '3000000000' });
    pending('above-own-cap', { to: TO, value: '3', nonce: 2 });

    const run = await daemon({ TATUM_KMS_MAX_FEE_ETH: '0.00001' });

    expect(run.code).toBe(1);
    expect(broadcastRequestsOf('above-own-cap')).toEqual([]);
    expect(reported('above-own-cap')).toEqual([
      expect.stringMatching(/0\.000042 ETH .*exceeds the cap of 0\.00001 ETH \(TATUM_KMS_MAX_FEE_ETH\)/),
    ]);

    const raised = await daemon({ TATUM_KMS_MAX_FEE_ETH: '0.001' });
    expect(raised.code).toBe(0);
    expect((await minedTx('above-own-cap')).gasPrice).toBe(2_000_000_000n);
  }, 120_000);

  it.each([
    ['TATUM_KMS_MAX_FEE_ETH', 'abc'],
    ['TATUM_KMS_MAX_FEE_ETH', '0'],
    ['TATUM_KMS_MAX_FEE_ETH', '-1'],
    ['TATUM_KMS_MAX_FEE_ETH', '0.0000000000000000001'],
    ['TATUM_KMS_MAX_FEE_BTC', '1'],
  ])(
    '%s=%s stops the daemon at start with a config error naming the variable',
    async (name, value) => {
      const broadcasts = api.requestsTo('broadcast').length;
      pending('never-signed', { to: TO, value: '4', nonce: 3 });
      const run = await daemon({ [name]: value });
      expect(run.code).not.toBe(0);
      expect(JSON.parse(run.stderr.trim().split('\n').pop()!)).toEqual({
        error: expect.stringContaining(name),
      });
      expect(api.requestsTo('broadcast')).toHaveLength(broadcasts);
    },
    60_000,
  );
});
