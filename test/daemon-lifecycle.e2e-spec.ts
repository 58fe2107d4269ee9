import { join } from 'node:path';
import vectors from './fixtures/derivation.json';
import { FakeTatumApi } from './support/fake-tatum-api';
import { finished, json, runKms, startKms, tempDir } from './support/kms-cli';
import { runKmsInProcess } from './support/kms-in-process';
import { writeTestWalletFile } from './support/wallet-files';

/**
 * The long-running daemon: it notices wallets added to the file while it runs, finishes the
 * transaction in flight on SIGTERM before exiting 0, and `--wallets` / `--transactionIds` filter a
 * `--runOnce` cycle.
 */
const PASSWORD = 'lifecycle-password';
const API_KEY = 'lifecycle-api-key';
const ethTx = (nonce: number) =>
  JSON.stringify({
    to: vectors.chains.ETH.testnet.generateAddressFromXPub['1'],
    value: '1',
    nonce,
    gasPrice: '1000000000',
    gas: '21000',
  });
const until = async (condition: () => boolean, timeoutMs = 30_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

describe('daemon lifecycle', () => {
  const { dir, cleanup } = tempDir();
  let api: FakeTatumApi;
  const env = () => ({ TATUM_KMS_PASSWORD: PASSWORD, TATUM_API_URL: api.url, HOME: dir });
  const newKeyWallet = async (path: string) =>
    json<{ signatureId: string }>(
      await runKmsInProcess(['generatemanagedprivatekeybatch', 'ETH', '1', '--testnet', '--path', path], {
        env: env(),
      }),
    ).signatureId;

  beforeEach(async () => {
    api = await FakeTatumApi.start({ apiKey: API_KEY });
  });
  afterEach(() => api.stop());
  afterAll(cleanup);

  it('picks up a wallet added to the file while running, and exits 0 after the broadcast in flight', async () => {
    const path = join(dir, 'reload.dat');
    await writeTestWalletFile(path, PASSWORD);
    const first = await newKeyWallet(path);
    const daemon = startKms(
      ['daemon', '--testnet', '--period', '0.5', '--chain', 'ETH', '--path', path, '--apiKey', API_KEY],
      {
        env: { ...env(), TATUM_KMS_DEBUG_MODE: 'true' }, // per-transaction lines
      },
    );
    const done = finished(daemon, 60_000);
    api.addPending({ id: 'tx-first', chain: 'ETH', hashes: [first], serializedTransaction: ethTx(0) });
    await until(() => api.broadcasts.length === 1);

    const second = await newKeyWallet(path); // written by another process while the daemon runs
    api.addPending({ id: 'tx-second', chain: 'ETH', hashes: [second], serializedTransaction: ethTx(0) });
    await until(() => api.broadcasts.length === 2);
    expect(api.requestsTo('pending').at(-1)!.body).toEqual({
      signatureIds: expect.arrayContaining([first, second]),
    });

    // a slow broadcast is in flight when SIGTERM arrives: it completes, then the daemon exits 0
    api.setLatency('broadcast', 1_500);
    api.addPending({ id: 'tx-slow', chain: 'ETH', hashes: [first], serializedTransaction: ethTx(1) });
    await until(() => api.requestsTo('broadcast').length === 3);
    daemon.kill('SIGTERM');
    const run = await done;
    expect(run.code).toBe(0);
    expect(api.broadcasts.map((b) => b.signatureId)).toEqual(['tx-first', 'tx-second', 'tx-slow']);
    // the daemon logged the broadcast's answer (it waited for it) between the signal and its exit
    expect(run.stdout + run.stderr).toMatch(/SIGTERM[\s\S]*Broadcast ETH transaction tx-slow[\s\S]*Stopped/);
  }, 90_000);

  it('--wallets and --transactionIds restrict a --runOnce cycle', async () => {
    const path = join(dir, 'filters.dat');
    await writeTestWalletFile(path, PASSWORD);
    const a = await newKeyWallet(path);
    const b = await newKeyWallet(path);
    api.addPending([
      { id: 'a-1', chain: 'ETH', hashes: [a], serializedTransaction: ethTx(0) },
      { id: 'a-2', chain: 'ETH', hashes: [a], serializedTransaction: ethTx(1) },
      { id: 'b-1', chain: 'ETH', hashes: [b], serializedTransaction: ethTx(0) },
    ]);
    const base = ['daemon', '--runOnce', '--testnet', '--chain', 'ETH', '--path', path, '--apiKey', API_KEY];
    expect((await runKms([...base, '--wallets', a, '--transactionIds', 'a-2'], { env: env() })).code).toBe(0);
    expect(api.broadcasts.map((x) => x.signatureId)).toEqual(['a-2']);
    expect(api.requestsTo('pending').at(-1)!.body).toEqual({ signatureIds: [a] });
    expect((await runKms([...base, '--wallets', b], { env: env() })).code).toBe(0);
    expect(api.broadcasts.map((x) => x.signatureId)).toEqual(['a-2', 'b-1']);
  }, 60_000);

  it('--runOnce exits non-zero when a transaction fails', async () => {
    const path = join(dir, 'failing.dat');
    await writeTestWalletFile(path, PASSWORD);
    const a = await newKeyWallet(path);
    api.addPending({ id: 'broken', chain: 'ETH', hashes: [a], serializedTransaction: '{not json' });
    const run = await runKms(
      ['daemon', '--runOnce', '--testnet', '--chain', 'ETH', '--path', path, '--apiKey', API_KEY],
      { env: env() },
    );
    expect(run.code).not.toBe(0);
    expect(api.errorBatches).toEqual([
      [{ signatureId: 'broken', error: expect.stringMatching(/Invalid ETH pending transaction/) }],
    ]);
  }, 60_000);
});
