import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import vectors from './fixtures/derivation.json';
import { ApprovalServer } from './support/approval-server';
import { FakeTatumApi } from './support/fake-tatum-api';
import { finished, json, startKms, tempDir } from './support/kms-cli';
import { runKmsInProcess } from './support/kms-in-process';
import { writeTestWalletFile } from './support/wallet-files';

/**
 * The daemon as an operator sees it: /metrics counts exactly what a cycle did, /readyz follows the
 * Tatum API (503 while the API key is refused, 200 again when it is accepted), JSON logs are one
 * object per line with each outcome told once, and nothing secret is in the logs or the metrics.
 */
const PASSWORD = 'operations-password';
const API_KEY = 'operations-api-key-5f1c';
const TO = vectors.chains.ETH.mainnet.generateAddressFromXPub['1'];
const ethTx = (nonce: number, to = TO) =>
  JSON.stringify({ to, value: '1', nonce, gasPrice: '1000000000', gas: '21000' });

const until = async (condition: () => boolean | Promise<boolean>, timeoutMs = 60_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

/** The value of one sample of the Prometheus text, e.g. `kms_cycles_total{result="ok"}`. */
function sample(metrics: string, name: string): number | undefined {
  const line = metrics.split('\n').find((each) => each.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
}

describe('daemon operations: metrics, readiness, logs', () => {
  const { dir, cleanup } = tempDir();
  const path = join(dir, 'wallet.dat');
  let api: FakeTatumApi;
  let approvals: ApprovalServer;
  let wallets: string[];
  let privateKeys: string[];
  const env = () => ({
    TATUM_KMS_PASSWORD: PASSWORD,
    TATUM_API_URL: api.url,
    HOME: dir,
    TATUM_KMS_LOG_FORMAT: 'json',
  });
  const running: ChildProcess[] = [];

  beforeAll(async () => {
    api = await FakeTatumApi.start({ apiKey: API_KEY });
    approvals = await ApprovalServer.start((id) => (id === 'tx-deny' ? 'deny' : 'approve'));
    await writeTestWalletFile(path, PASSWORD);
    const batch = await runKmsInProcess(['generatemanagedprivatekeybatch', 'ETH', '3', '--path', path], {
      env: env(),
    });
    wallets = batch.stdout
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { signatureId: string }).signatureId);
    const exported = json<Record<string, { privateKey: string }>>(
      await runKmsInProcess(['export', '--path', path], { env: env() }),
    );
    privateKeys = Object.values(exported).map((wallet) => wallet.privateKey);
    expect(privateKeys).toHaveLength(3);
  }, 60_000);
  afterEach(() => {
    for (const child of running.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  });
  afterAll(async () => {
    await api.stop();
    await approvals.stop();
    cleanup();
  });

  it('counts one cycle exactly: 2 signed, 1 denied, 1 failed, and every request to the API', async () => {
    api.clearPending();
    api.addPending([
      { id: 'tx-ok-1', chain: 'ETH', hashes: [wallets[0]], serializedTransaction: ethTx(0) },
      { id: 'tx-ok-2', chain: 'ETH', hashes: [wallets[1]], serializedTransaction: ethTx(0) },
      { id: 'tx-deny', chain: 'ETH', hashes: [wallets[2]], serializedTransaction: ethTx(1) },
      // approved, then refused by the signer: not an address
      {
        id: 'tx-bad',
        chain: 'ETH',
        hashes: [wallets[2]],
        serializedTransaction: ethTx(2, '0xnot-an-address'),
      },
    ]);
    // one cycle only in this test (the next one is an hour away), so every count is exact
    const child = startKms(
      [
        'daemon',
        '--period',
        '3600',
        '--chain',
        'ETH',
        '--path',
        path,
        '--apiKey',
        API_KEY,
        '--externalUrl',
        approvals.url,
        '--metricsPort',
        '0',
      ],
      { env: env() },
    );
    running.push(child);
    let stdout = '';
    child.stdout!.on('data', (chunk) => (stdout += chunk));
    const done = finished(child, 180_000);
    await until(() => /Operations endpoint on (http:\/\/127\.0\.0\.1:\d+)/.test(stdout));
    const url = /Operations endpoint on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)![1];
    await until(() => stdout.includes('"msg":"Cycle:'));

    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(sample(metrics, 'kms_transactions_total{chain="ETH",outcome="signed"}')).toBe(2);
    expect(sample(metrics, 'kms_transactions_total{chain="ETH",outcome="denied"}')).toBe(1);
    expect(sample(metrics, 'kms_transactions_total{chain="ETH",outcome="failed"}')).toBe(1);
    expect(sample(metrics, 'kms_cycles_total{result="failed"}')).toBe(1);
    expect(sample(metrics, 'kms_cycles_total{result="ok"}')).toBeUndefined();
    expect(sample(metrics, 'kms_cycle_duration_seconds_count')).toBe(1);
    expect(sample(metrics, 'kms_wallets{chain="ETH"}')).toBe(3);
    expect(sample(metrics, 'kms_tatum_requests_total{operation="pending",status="200"}')).toBe(1);
    expect(sample(metrics, 'kms_tatum_requests_total{operation="broadcast",status="200"}')).toBe(2);
    expect(sample(metrics, 'kms_tatum_requests_total{operation="report_errors",status="204"}')).toBe(1);
    expect(sample(metrics, 'kms_approval_duration_seconds_count')).toBe(4);
    expect(sample(metrics, 'kms_signing_duration_seconds_count{chain="ETH"}')).toBe(2);
    expect(sample(metrics, 'kms_last_successful_cycle_timestamp_seconds')).toBe(0);
    expect(sample(metrics, 'process_cpu_seconds_total')).toBeGreaterThan(0);
    expect(api.broadcasts.map((each) => each.signatureId).sort()).toEqual(['tx-ok-1', 'tx-ok-2']);

    // the cycle reached the API and the store is unlocked: ready
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await fetch(`${url}/livez`).then((res) => res.status)).toBe(200);

    child.kill('SIGTERM');
    const run = await done;
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    for (const record of records) {
      expect(record).toEqual(
        expect.objectContaining({
          time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
          level: expect.any(String),
          msg: expect.any(String),
        }),
      );
    }
    const outcomes = records.filter((record) => record.outcome !== undefined);
    expect(outcomes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          level: 'info',
          pendingId: 'tx-ok-1',
          chain: 'ETH',
          outcome: 'signed',
          txId: expect.any(String),
        }),
        expect.objectContaining({ level: 'info', pendingId: 'tx-ok-2', chain: 'ETH', outcome: 'signed' }),
        expect.objectContaining({
          level: 'info',
          pendingId: 'tx-deny',
          chain: 'ETH',
          outcome: 'denied',
          reason: expect.any(String),
        }),
        expect.objectContaining({
          level: 'error',
          pendingId: 'tx-bad',
          chain: 'ETH',
          outcome: 'failed',
          reason: expect.any(String),
        }),
      ]),
    );
    expect(outcomes).toHaveLength(4);
    for (const secret of [
      PASSWORD,
      API_KEY,
      ...privateKeys,
      ...privateKeys.map((key) => key.replace(/^0x/, '')),
    ]) {
      expect(run.stdout + run.stderr + metrics).not.toContain(secret);
    }
    for (const id of wallets) expect(metrics).not.toContain(id);
  }, 240_000);

  it('is not ready while the API refuses its key, and ready again when it accepts it; each problem and denial is logged once', async () => {
    api.clearPending();
    api.addPending({ id: 'tx-deny', chain: 'ETH', hashes: [wallets[2]], serializedTransaction: ethTx(1) });
    const child = startKms(
      [
        'daemon',
        '--period',
        '0.3',
        '--chain',
        'ETH',
        '--path',
        path,
        '--apiKey',
        API_KEY,
        '--externalUrl',
        approvals.url,
      ],
      { env: { ...env(), TATUM_KMS_METRICS_PORT: '0' } },
    );
    running.push(child);
    let stdout = '';
    child.stdout!.on('data', (chunk) => (stdout += chunk));
    const done = finished(child, 180_000);
    await until(() => /Operations endpoint on (http:\/\/127\.0\.0\.1:\d+)/.test(stdout));
    const url = /Operations endpoint on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)![1];
    const readyz = async () => {
      const res = await fetch(`${url}/readyz`);
      return {
        status: res.status,
        body: (await res.json()) as { checks: Record<string, { ok: boolean; detail?: string }> },
      };
    };
    await until(async () => (await readyz()).status === 200);
    const pendingCalls = () => api.requestsTo('pending').length;

    api.setApiKey('another-key');
    const refusedFrom = pendingCalls();
    await until(async () => (await readyz()).status === 503);
    const notReady = await readyz();
    expect(notReady.body.checks.api).toEqual({ ok: false, detail: expect.stringMatching(/HTTP 403/) });
    expect(notReady.body.checks.store).toEqual({ ok: true });
    expect(JSON.stringify(notReady.body)).not.toContain(API_KEY);
    await until(() => pendingCalls() >= refusedFrom + 4); // several refused cycles

    api.setApiKey(API_KEY);
    const acceptedFrom = pendingCalls();
    await until(async () => (await readyz()).status === 200);
    await until(() => pendingCalls() >= acceptedFrom + 3); // several cycles asking the denied one again
    child.kill('SIGTERM');
    const run = await done;
    expect(run.code).toBe(0);

    const records = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const messages = records.map((record) => String(record.msg));
    expect(
      messages.filter((msg) => msg.startsWith('Pending transactions cannot be fetched from the Tatum API')),
    ).toHaveLength(1);
    expect(
      messages.filter((msg) =>
        msg.startsWith('Pending transactions can be fetched from the Tatum API again'),
      ),
    ).toHaveLength(1);
    expect(
      records.filter((record) => record.outcome === 'denied' && record.pendingId === 'tx-deny'),
    ).toHaveLength(1);
    expect(approvals.asked.filter((id) => id === 'tx-deny').length).toBeGreaterThanOrEqual(4);
    expect(run.stdout + run.stderr).not.toContain(API_KEY);
    expect(run.stdout + run.stderr).not.toContain(PASSWORD);
  }, 240_000);

  it('is not ready while the wallet file cannot be read, says so once, and recovers when it can', async () => {
    const copy = join(dir, 'damaged.dat');
    copyFileSync(path, copy);
    const good = readFileSync(copy);
    api.clearPending();
    const child = startKms(
      [
        'daemon',
        '--period',
        '0.3',
        '--chain',
        'ETH',
        '--path',
        copy,
        '--apiKey',
        API_KEY,
        '--externalUrl',
        approvals.url,
      ],
      { env: { ...env(), TATUM_KMS_METRICS_PORT: '0' } },
    );
    running.push(child);
    let stdout = '';
    child.stdout!.on('data', (chunk) => (stdout += chunk));
    const done = finished(child, 180_000);
    await until(() => /Operations endpoint on (http:\/\/127\.0\.0\.1:\d+)/.test(stdout));
    const url = /Operations endpoint on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)![1];
    const readyz = async () => {
      const res = await fetch(`${url}/readyz`);
      return { status: res.status, body: (await res.json()) as { checks: Record<string, { ok: boolean }> } };
    };
    await until(async () => (await readyz()).status === 200);

    writeFileSync(copy, '{"damaged": true}'); // another process broke the file
    await until(async () => (await readyz()).status === 503);
    expect((await readyz()).body.checks.store.ok).toBe(false);
    const from = api.requestsTo('pending').length;
    await new Promise((resolve) => setTimeout(resolve, 1_500)); // several cycles on the damaged file
    expect(api.requestsTo('pending').length).toBe(from); // nothing asked, nothing signed meanwhile

    writeFileSync(copy, good);
    await until(async () => (await readyz()).status === 200);
    child.kill('SIGTERM');
    const run = await done;
    expect(run.code).toBe(0);
    const messages = run.stdout
      .trim()
      .split('\n')
      .map((line) => String((JSON.parse(line) as { msg: unknown }).msg));
    expect(messages.filter((msg) => msg.startsWith('The wallet store cannot be read'))).toHaveLength(1);
    expect(messages.filter((msg) => msg.startsWith('The wallet store can be read again'))).toHaveLength(1);
  }, 240_000);

  it('refuses to start when the store cannot be unlocked: one JSON error, non-zero exit', async () => {
    const run = await finished(
      startKms(
        ['daemon', '--path', path, '--apiKey', API_KEY, '--externalUrl', approvals.url, '--metricsPort', '0'],
        {
          env: { ...env(), TATUM_KMS_PASSWORD: 'not-the-password' },
        },
      ),
      60_000,
    );
    expect(run.code).not.toBe(0);
    expect(JSON.parse(run.stderr.trim())).toEqual({ error: expect.stringMatching(/password/i) });
    expect(run.stdout).not.toContain('Operations endpoint');
  }, 90_000);
});
