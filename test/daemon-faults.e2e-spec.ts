import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import vectors from './fixtures/derivation.json';
import { FakeTatumApi } from './support/fake-tatum-api';
import { finished, json, startKms, tempDir } from './support/kms-cli';
import { runKmsInProcess } from './support/kms-in-process';
import { writeTestWalletFile } from './support/wallet-files';

/**
 * A long-running daemon facing a misbehaving Tatum API: 500s, closed connections, malformed JSON, a hang,
 * and malformed pending transactions. It keeps running, broadcasts every good transaction exactly
 * once, reports every bad one with a clear message, exits 0 on SIGTERM, and logs no secret.
 */
const PASSWORD = 'faults-password';
const API_KEY = 'faults-api-key-secret';
const KEY = vectors.chains.ETH.testnet.generatePrivateKeyFromMnemonic['0'];
const ethTx = (nonce: number, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    to: vectors.chains.ETH.testnet.generateAddressFromXPub['1'],
    value: '1',
    nonce,
    gasPrice: '1000000000',
    gas: '21000',
    ...extra,
  });

describe('daemon under API faults and malformed pending transactions', () => {
  const { dir, cleanup } = tempDir();
  let api: FakeTatumApi;
  afterAll(async () => {
    await api?.stop();
    cleanup();
  });

  it('keeps running, broadcasts the good, reports the bad', async () => {
    api = await FakeTatumApi.start({ apiKey: API_KEY });
    const path = join(dir, 'wallet.dat');
    await writeTestWalletFile(path, PASSWORD);
    const env = {
      TATUM_KMS_PASSWORD: PASSWORD,
      TATUM_API_URL: api.url,
      HOME: dir,
      TATUM_KMS_API_TIMEOUT_MS: '1000',
    };
    const keyWallet = json<{ signatureId: string }>(
      await runKmsInProcess(['storemanagedprivatekey', 'ETH', '--testnet', '--path', path], {
        env,
        input: `${KEY}\n`,
      }),
    ).signatureId;
    const mnemonicWallet = json<{ signatureId: string }>(
      await runKmsInProcess(['storemanagedwallet', 'ETH', '--testnet', '--path', path], {
        env,
        input: `${vectors.mnemonic}\n`,
      }),
    ).signatureId;

    const good = Array.from({ length: 5 }, (_, i) => ({
      id: `good-${i}`,
      chain: 'ETH',
      hashes: [keyWallet],
      serializedTransaction: ethTx(i),
    }));
    api.addPending(good);
    api.addPending({
      id: 'good-mnemonic',
      chain: 'ETH',
      hashes: [mnemonicWallet],
      index: 3,
      serializedTransaction: ethTx(0),
    });
    const bad: Record<string, RegExp> = {
      'bad-missing-field': /serializedTransaction/,
      'bad-unknown-wallet': /is not one of the wallets this daemon asked/,
      'bad-hex': /data/i,
      'bad-no-index': /without an index/i,
      'bad-wrong-chain': /chain/i,
    };
    api.addRawPending({ id: 'bad-missing-field', chain: 'ETH', hashes: [keyWallet] }, 'ETH', [keyWallet]);
    api.addRawPending(
      { id: 'bad-unknown-wallet', chain: 'ETH', hashes: [randomUUID()], serializedTransaction: ethTx(9) },
      'ETH',
      [keyWallet],
    );
    api.addPending({
      id: 'bad-hex',
      chain: 'ETH',
      hashes: [keyWallet],
      serializedTransaction: ethTx(10, { data: '0xzz' }),
    });
    api.addPending({
      id: 'bad-no-index',
      chain: 'ETH',
      hashes: [mnemonicWallet],
      serializedTransaction: ethTx(11),
    });
    api.addRawPending(
      { id: 'bad-wrong-chain', chain: 'BTC', hashes: [keyWallet], serializedTransaction: ethTx(12) },
      'ETH',
      [keyWallet],
    );

    // the first cycles meet a failing API; the first broadcast fails once with a 500
    api.failNext('pending', '500', 3);
    api.failNext('pending', 'close', 3);
    api.failNext('pending', 'malformed-json', 1);
    api.failNext('pending', 'hang', 1);
    api.failNext('broadcast', '500', 1);

    const daemon = startKms(
      ['daemon', '--testnet', '--period', '1', '--chain', 'ETH', '--path', path, '--apiKey', API_KEY],
      { env },
    );
    const done = finished(daemon, 120_000);
    const deadline = Date.now() + 60_000;
    while (
      Date.now() < deadline &&
      (api.errorBatches.length < 2 || api.broadcasts.length < good.length + 1)
    ) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    daemon.kill('SIGTERM');
    const run = await done;

    expect(run.code).toBe(0);
    // 3 x 500, 3 x closed, 1 malformed, 1 hang (timed out and retried) came before the first good answer
    expect(api.requestsTo('pending').length).toBeGreaterThanOrEqual(10);
    const broadcastIds = api.broadcasts.map((b) => b.signatureId).sort();
    expect(broadcastIds).toEqual([...good.map((g) => g.id), 'good-mnemonic'].sort());
    const reported = api.errorBatches.flat();
    for (const [id, message] of Object.entries(bad)) {
      const errors = reported.filter((e) => e.signatureId === id).map((e) => e.error);
      expect(errors.length).toBeGreaterThan(0);
      for (const error of errors) expect(error).toMatch(message);
    }
    // every cycle's failures went into one batch
    for (const batch of api.errorBatches)
      expect(new Set(batch.map((e) => e.signatureId)).size).toBe(batch.length);
    const output = run.stdout + run.stderr;
    for (const secret of [PASSWORD, API_KEY, KEY, vectors.mnemonic]) expect(output).not.toContain(secret);
  }, 180_000);
});
