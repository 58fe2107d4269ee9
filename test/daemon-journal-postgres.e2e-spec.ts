import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Transaction as EvmTransaction } from 'ethers';
import vectors from './fixtures/derivation.json';
import { Anvil } from './support/anvil';
import { FakeAnswer, FakeTatumApi, type RecordedRequest } from './support/fake-tatum-api';
import { json, tempDir } from './support/kms-cli';
import { runKmsInProcess } from './support/kms-in-process';
import { usePostgresDatabase } from './support/postgres';
import { writeTestWalletFile } from './support/wallet-files';

/**
 * The signing journal's guarantees on the PostgreSQL adapter (TATUM_KMS_JOURNAL=postgres://..., a real
 * server started for the spec), daemons run one after the other: a refused broadcast is re-sent with
 * the same bytes, never re-signed; the same pending id with another payload is refused, never signed.
 * test/daemon-journal.e2e-spec.ts shows the same on the embedded adapter.
 */
const PASSWORD = 'journal-password';
const API_KEY = 'journal-api-key';
const CHAIN_ID = 11155111;

describe('daemon: the signing journal on PostgreSQL (ETH on anvil)', () => {
  const pg = usePostgresDatabase();
  const { dir, cleanup } = tempDir();
  const path = join(dir, 'wallets', 'wallet.dat');
  const from = vectors.chains.ETH.testnet.generateAddressFromXPub['0'];
  const to = '0x00000000000000000000000000000000000000e7';
  let api: FakeTatumApi;
  let anvil: Anvil;
  let signatureId: string;
  let refuseBroadcast = false;
  const env = () => ({
    TATUM_KMS_PASSWORD: PASSWORD,
    TATUM_API_URL: api.url,
    HOME: dir,
    TATUM_KMS_JOURNAL: pg.url(),
  });
  const kms = (args: string[], walletPath = path) =>
    runKmsInProcess([...args, '--path', walletPath], { env: env() });
  const daemonOnce = () => kms(['daemon', '--runOnce', '--testnet', '--chain', 'ETH', '--apiKey', API_KEY]);
  const broadcastsOf = (id: string): RecordedRequest[] =>
    api.requestsTo('broadcast').filter((r) => (r.body as { signatureId?: string })?.signatureId === id);
  const txDataOf = (request: RecordedRequest) => (request.body as { txData: string }).txData;

  beforeAll(async () => {
    api = await FakeTatumApi.start({ apiKey: API_KEY });
    anvil = await Anvil.start({ chainId: CHAIN_ID });
    api.forwardNonces((_path, address) => anvil.nonce(address));
    api.onRpc('ETH', (method, params) => anvil.rpc(method, params as unknown[]));
    api.setFee({ slow: '1000000000', medium: '2000000000', fast: '3000000000' });
    api.forwardBroadcasts('ETH', async (txData) => {
      if (refuseBroadcast) throw new FakeAnswer(400, { message: 'nonce too low' });
      return anvil.sendRawTransaction(txData);
    });
    mkdirSync(join(dir, 'wallets'));
    await writeTestWalletFile(path, PASSWORD);
    ({ signatureId } = json<{ signatureId: string }>(
      await runKmsInProcess(['storemanagedprivatekey', 'ETH', '--testnet', '--path', path], {
        env: env(),
        input: `${vectors.chains.ETH.testnet.generatePrivateKeyFromMnemonic['0']}\n`,
      }),
    ));
    await anvil.setBalance(from, 10n ** 19n);
  }, 60_000);
  afterAll(async () => {
    await anvil?.stop();
    await api?.stop();
    cleanup();
  });

  it('a broadcast the API refused is sent again by the next daemon with the same bytes, never re-signed', async () => {
    api.addPending({
      id: 'eth-retry',
      chain: 'ETH',
      hashes: [signatureId],
      serializedTransaction: JSON.stringify({ to, value: '1000000000000000' }),
    });
    refuseBroadcast = true;
    const first = await daemonOnce();
    expect(first.code).toBe(1);

    // the network moves on: a re-signed transaction would carry another gas price, hence another hash
    api.setFee({ slow: '4000000000', medium: '5000000000', fast: '6000000000' });
    refuseBroadcast = false;
    const second = await daemonOnce();
    expect(second.code).toBe(0);

    const [failed, resent] = broadcastsOf('eth-retry');
    expect(txDataOf(resent)).toBe(txDataOf(failed));
    const signed = EvmTransaction.from(txDataOf(failed));
    expect(signed.nonce).toBe(0);
    expect(signed.gasPrice).toBeLessThan(4_000_000_000n);
    expect((await anvil.receipt(signed.hash!)).status).toBe('0x1');
    expect(await anvil.nonce(from)).toBe(1);
    expect(api.broadcasts.filter((b) => b.signatureId === 'eth-retry').map((b) => b.txData)).toEqual([
      txDataOf(failed),
    ]);
  }, 120_000);

  it('the same pending id served again with another payload is refused with a clear reason, never signed', async () => {
    const broadcastsBefore = api.requestsTo('broadcast').length;
    api.addPending({
      id: 'eth-retry',
      chain: 'ETH',
      hashes: [signatureId],
      serializedTransaction: JSON.stringify({ to, value: '9000000000000000' }),
    });
    const run = await daemonOnce();
    expect(run.code).toBe(1);
    expect(api.requestsTo('broadcast')).toHaveLength(broadcastsBefore);
    expect(
      api.errorBatches
        .flat()
        .filter((e) => e.signatureId === 'eth-retry')
        .at(-1)?.error,
    ).toMatch(/payload differs from the one signed for this id/);
    expect(await anvil.nonce(from)).toBe(1);
    expect(await anvil.balance(to)).toBe(1_000_000_000_000_000n);
  }, 120_000);
});
