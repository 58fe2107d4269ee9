import { join } from 'node:path';
import { Keypair, PublicKey, SystemProgram, Transaction as SolTransaction } from '@solana/web3.js';
import { Transaction as EvmTransaction } from 'ethers';
import vectors from './fixtures/derivation.json';
import { Anvil } from './support/anvil';
import { FakeFlowAccessNode } from './support/fake-flow-access-node';
import { FakeAnswer, FakeTatumApi, type RecordedRequest } from './support/fake-tatum-api';
import { json, runDaemonUntil, tempDir } from './support/kms-cli';
import { runKmsInProcess } from './support/kms-in-process';
import { writeTestWalletFile } from './support/wallet-files';
import { LiteSvmNetwork } from './support/litesvm-network';

/**
 * One pending transaction, one transfer, whatever happens to the call that reports it to Tatum. The
 * daemon runs several cycles in one process; the first completion / broadcast call fails:
 * - SOL and FLOW submit the transfer themselves and then report its id to /v3/{chain}/broadcast. When
 *   that report fails (HTTP 500) the transaction is still pending at Tatum; the next cycle must only
 *   repeat the report with the same id, not sign and submit a second transfer (LiteSVM and the fake
 *   Flow access node count what reached the chain).
 * - EVM: the broadcast reaches the node, then the API answers 502. The next cycle must send exactly
 *   the same signed bytes again (same nonce), not sign a new transaction with the next nonce (anvil
 *   counts what was mined).
 */
const PASSWORD = 'memory-password';
const API_KEY = 'memory-api-key';

describe('daemon: a failed completion call never leads to a second transfer', () => {
  const { dir, cleanup } = tempDir();
  let api: FakeTatumApi;
  const env = (extra: Record<string, string> = {}) => ({
    TATUM_KMS_PASSWORD: PASSWORD,
    TATUM_API_URL: api.url,
    HOME: dir,
    ...extra,
  });
  const daemonArgs = (chain: string, path: string) => [
    '--testnet',
    '--period',
    '1',
    '--chain',
    chain,
    '--path',
    path,
    '--apiKey',
    API_KEY,
  ];
  /** The broadcast requests naming a pending id (failed ones included), in order. */
  const broadcastRequests = (id: string): RecordedRequest[] =>
    api.requestsTo('broadcast').filter((r) => (r.body as { signatureId?: string })?.signatureId === id);
  const txDataOf = (request: RecordedRequest) => (request.body as { txData: string }).txData;
  const failFirstBroadcastOf = (id: string, fault: '500' | { status: number; body?: unknown }) =>
    api.failNext(
      (r) => r.route === 'broadcast' && (r.body as { signatureId?: string })?.signatureId === id,
      fault,
    );

  beforeAll(async () => {
    api = await FakeTatumApi.start({ apiKey: API_KEY });
  });
  afterAll(async () => {
    await api.stop();
    cleanup();
  });

  it('SOL (LiteSVM): the completion fails once with HTTP 500; one transfer, reported again with its signature', async () => {
    const svm = new LiteSvmNetwork({ freshBlockhashes: true });
    api.onRpc('SOL', (method, params) => svm.rpc('SOL', method, params as unknown[]));
    const path = join(dir, 'sol.dat');
    await writeTestWalletFile(path, PASSWORD);
    const wallet = json<{ signatureId: string; address: string }>(
      await runKmsInProcess(['generatemanagedwallet', 'SOL', '--testnet', '--path', path], { env: env() }),
    );
    svm.airdrop(wallet.address, 2_000_000_000n);
    const to = Keypair.generate().publicKey;
    const payer = new PublicKey(wallet.address);
    const message = new SolTransaction({
      feePayer: payer,
      recentBlockhash: '11111111111111111111111111111111',
    })
      .add(SystemProgram.transfer({ fromPubkey: payer, toPubkey: to, lamports: 250_000_000 }))
      .serializeMessage()
      .toString('hex');
    api.addPending({
      id: 'sol-once',
      chain: 'SOL',
      hashes: [wallet.signatureId],
      serializedTransaction: JSON.stringify({ txData: message }),
    });
    failFirstBroadcastOf('sol-once', '500');

    const run = await runDaemonUntil(
      daemonArgs('SOL', path),
      () => broadcastRequests('sol-once').length >= 2,
      { env: env(), timeoutMs: 60_000 },
    );

    expect(run.met).toBe(true);
    expect(svm.balance(to.toBase58())).toBe(250_000_000n);
    expect(svm.calls.filter((call) => call.method === 'sendTransaction')).toHaveLength(1);
    const [first, second] = broadcastRequests('sol-once');
    expect(txDataOf(second)).toBe(txDataOf(first));
    const completed = api.broadcasts.filter((b) => b.signatureId === 'sol-once');
    expect(completed.map((b) => b.txData)).toEqual([txDataOf(first)]);
    expect(api.pendingTransactions).toEqual([]);
    expect(api.errorBatches.flat().filter((e) => e.signatureId === 'sol-once')).toHaveLength(1);
    api.onRpc('SOL', undefined);
  }, 120_000);

  describe("FLOW (Tatum's format, fake access node)", () => {
    const ACCOUNT = '01cf0e2f2f715450';
    const TATUM = 'e03daebed8ca0615';
    const TATUM_KEY = '5c2a9f1e7d3b8c4a6e0f1d2c3b4a59687766554433221100ffeeddccbbaa9988';
    let node: FakeFlowAccessNode;

    beforeAll(async () => {
      node = await FakeFlowAccessNode.start();
    });
    afterAll(async () => {
      api.setFlowKeys(undefined);
      await node.stop();
    });

    it('the completion fails once with HTTP 500; one sealed transaction, reported again with its id', async () => {
      const path = join(dir, 'flow.dat');
      await writeTestWalletFile(path, PASSWORD);
      const wallet = json<{ signatureId: string }>(
        await runKmsInProcess(['generatemanagedwallet', 'FLOW', '--testnet', '--path', path], { env: env() }),
      );
      const { address } = json<{ address: string }>(
        await runKmsInProcess(['getaddress', wallet.signatureId, '0', '--path', path], { env: env() }),
      );
      const tatumPublic = FakeFlowAccessNode.publicKeyOf(TATUM_KEY);
      node.addAccount(TATUM, [{ publicKey: tatumPublic }, { publicKey: tatumPublic, weight: 0 }]);
      node.addAccount(ACCOUNT, [{ publicKey: address }]);
      api.setFlowKeys({
        proposer: { address: TATUM, keyId: 1, privateKey: TATUM_KEY },
        payer: { address: TATUM, keyId: 0, privateKey: TATUM_KEY },
      });
      api.addPending({
        id: 'flow-once',
        chain: 'FLOW',
        hashes: [wallet.signatureId],
        index: 0,
        serializedTransaction: JSON.stringify({
          type: 2,
          body: { account: `0x${ACCOUNT}`, to: `0x${TATUM}`, amount: '1.5', currency: 'FLOW' },
        }),
      });
      failFirstBroadcastOf('flow-once', '500');

      const run = await runDaemonUntil(
        daemonArgs('FLOW', path),
        () => broadcastRequests('flow-once').length >= 2,
        { env: env({ TATUM_KMS_NODE_URL_FLOW: node.url }), timeoutMs: 90_000 },
      );

      expect(run.met).toBe(true);
      expect(node.submitted).toHaveLength(1);
      const [first, second] = broadcastRequests('flow-once');
      expect(txDataOf(first)).toBe(node.submitted[0].id);
      expect(txDataOf(second)).toBe(node.submitted[0].id);
      expect(api.broadcasts.filter((b) => b.signatureId === 'flow-once').map((b) => b.txData)).toEqual([
        node.submitted[0].id,
      ]);
      expect(api.pendingTransactions).toEqual([]);
    }, 150_000);
  });

  describe('ETH (anvil)', () => {
    const CHAIN_ID = 11155111;
    let anvil: Anvil;

    beforeAll(async () => {
      anvil = await Anvil.start({ chainId: CHAIN_ID });
      api.forwardNonces((_path, address) => anvil.nonce(address));
      api.onRpc('ETH', (method, params) => anvil.rpc(method, params as unknown[]));
      api.setFee({ slow: '1000000000', medium: '2000000000', fast: '3000000000' });
    }, 60_000);
    afterAll(async () => {
      api.forwardBroadcasts('ETH', undefined);
      api.onRpc('ETH', undefined);
      api.forwardNonces(undefined);
      await anvil?.stop();
    });

    it('a broadcast answered 502 after it reached the node: the next cycle sends the same bytes, one transaction is mined', async () => {
      const path = join(dir, 'eth.dat');
      await writeTestWalletFile(path, PASSWORD);
      const key = vectors.chains.ETH.testnet.generatePrivateKeyFromMnemonic['0'];
      const from = vectors.chains.ETH.testnet.generateAddressFromXPub['0'];
      const to = '0x00000000000000000000000000000000000000e5';
      const { signatureId } = json<{ signatureId: string }>(
        await runKmsInProcess(['storemanagedprivatekey', 'ETH', '--testnet', '--path', path], {
          env: env(),
          input: `${key}\n`,
        }),
      );
      await anvil.setBalance(from, 10n ** 19n);
      await anvil.rpc('anvil_setNonce', [from, '0x29']); // 41
      let relayed = 0;
      api.forwardBroadcasts('ETH', async (txData) => {
        const hash = await anvil.sendRawTransaction(txData);
        if (++relayed === 1) throw new FakeAnswer(502);
        return hash;
      });
      // No nonce, gas price or gas limit: all three come from the network.
      api.addPending({
        id: 'eth-once',
        chain: 'ETH',
        hashes: [signatureId],
        serializedTransaction: JSON.stringify({ to, value: '1000000000000000' }),
      });

      const run = await runDaemonUntil(
        daemonArgs('ETH', path),
        () => broadcastRequests('eth-once').length >= 2,
        { env: env(), timeoutMs: 60_000 },
      );

      expect(run.met).toBe(true);
      const [first, second] = broadcastRequests('eth-once');
      expect(txDataOf(second)).toBe(txDataOf(first));
      expect(EvmTransaction.from(txDataOf(first)).nonce).toBe(41);
      expect(await anvil.nonce(from)).toBe(42);
      expect(await anvil.balance(to)).toBe(1_000_000_000_000_000n);
      expect(api.errorBatches.flat().some((e) => e.signatureId === 'eth-once')).toBe(true);
    }, 120_000);
  });
});
