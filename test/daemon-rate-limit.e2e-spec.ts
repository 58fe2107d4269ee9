import { join } from 'node:path';
import vectors from './fixtures/derivation.json';
import { FakeTatumApi } from './support/fake-tatum-api';
import { json, tempDir } from './support/kms-cli';
import { runKmsInProcess } from './support/kms-in-process';
import { writeTestWalletFile } from './support/wallet-files';

/**
 * A Tatum plan's rate limit (429 with Retry-After beyond N requests a second) slows the daemon down to
 * that rate; nothing fails for it. TATUM_RETRIES (tatum-js's variable) bounds the retries.
 */
const PASSWORD = 'rate-limit-password';
const API_KEY = 'rate-limit-api-key';
const KEY = vectors.chains.ETH.testnet.generatePrivateKeyFromMnemonic['0'];

describe('daemon against a rate-limited Tatum API', () => {
  const { dir, cleanup } = tempDir('kms-rate-limit-');
  const path = join(dir, 'wallet.dat');
  let api: FakeTatumApi;
  let wallet: string;
  const env = (extra: Record<string, string> = {}) => ({
    TATUM_KMS_PASSWORD: PASSWORD,
    TATUM_API_URL: api.url,
    HOME: dir,
    ...extra,
  });
  const daemon = (extra: Record<string, string> = {}) =>
    runKmsInProcess(
      ['daemon', '--runOnce', '--testnet', '--chain', 'ETH', '--path', path, '--apiKey', API_KEY],
      {
        env: env(extra),
        timeoutMs: 90_000,
      },
    );
  const pending = (count: number) =>
    api.addPending(
      Array.from({ length: count }, (_, i) => ({
        id: `rl-${i}`,
        chain: 'ETH',
        hashes: [wallet],
        serializedTransaction: JSON.stringify({
          to: vectors.chains.ETH.testnet.generateAddressFromXPub['1'],
          value: String(1000 + i),
          nonce: i,
          gasPrice: '1000000000',
          gas: '21000',
        }),
      })),
    );

  beforeAll(async () => {
    api = await FakeTatumApi.start({ apiKey: API_KEY });
    await writeTestWalletFile(path, PASSWORD);
    wallet = json<{ signatureId: string }>(
      await runKmsInProcess(['storemanagedprivatekey', 'ETH', '--testnet', '--path', path], {
        env: env(),
        input: `${KEY}\n`,
      }),
    ).signatureId;
  });
  afterEach(() => {
    api.setRateLimit(undefined);
    api.clearPending();
  });
  afterAll(async () => {
    await api?.stop();
    cleanup();
  });

  it('a plan of 20 requests a second: every transaction is broadcast in one cycle, none fails', async () => {
    pending(60);
    api.setRateLimit(20);
    const run = await daemon();
    expect(run.code).toBe(0);
    expect(api.rateLimited).toBeGreaterThan(0);
    expect(new Set(api.broadcasts.map((b) => b.signatureId)).size).toBe(60);
    expect(api.errorBatches.flat()).toEqual([]);
    // one warning about the pace, not one line per refused request
    const notices = run.stdout.split('\n').filter((line) => /rate limiting \(HTTP 429\)/.test(line));
    expect(notices.length).toBeGreaterThanOrEqual(1);
    expect(notices.length).toBeLessThan(api.rateLimited);
  });

  it('TATUM_RETRIES=0: a 429 is the answer, reported as such, and the transaction stays pending', async () => {
    pending(1);
    const asked = api.requestsTo('pending').length;
    api.failNext('pending', { status: 429, body: { statusCode: 429, errorCode: 'too.many.requests' } });
    const refused = await daemon({ TATUM_RETRIES: '0' });
    expect(refused.code).not.toBe(0);
    expect(refused.stdout + refused.stderr).toMatch(/HTTP 429/);
    expect(api.requestsTo('pending')).toHaveLength(asked + 1);
    // the default retries it
    api.failNext('pending', { status: 429, body: { statusCode: 429, errorCode: 'too.many.requests' } });
    const retried = await daemon();
    expect(retried.code).toBe(0);
    expect(api.broadcasts.map((b) => b.signatureId)).toContain('rl-0');
  });

  it('TATUM_RETRIES and TATUM_RETRY_DELAY are validated at start', async () => {
    for (const [name, value] of [
      ['TATUM_RETRIES', 'many'],
      ['TATUM_RETRY_DELAY', '-5'],
      ['TATUM_KMS_API_TIMEOUT_MS', 'abc'],
    ]) {
      const run = await runKmsInProcess(['export', '--path', path], { env: env({ [name]: value }) });
      expect(run.code).toBe(1);
      expect(JSON.parse(run.stderr).error).toMatch(new RegExp(`Invalid configuration: ${name} must be`));
    }
  });
});
