import { KmsMetrics } from './kms-metrics';
import { OpsServer } from './ops-server';
import { Readiness } from './readiness';

describe('OpsServer', () => {
  let server: OpsServer;
  let metrics: KmsMetrics;
  let now: number;
  let readiness: Readiness;

  beforeEach(async () => {
    now = 1_000_000;
    metrics = new KmsMetrics();
    readiness = new Readiness(15_000, () => now);
    server = await OpsServer.start({ host: '127.0.0.1', port: 0 }, metrics, readiness);
  });
  afterEach(() => server.close());

  const get = async (path: string) => {
    const response = await fetch(`http://${server.address}${path}`);
    return {
      status: response.status,
      type: response.headers.get('content-type'),
      text: await response.text(),
    };
  };

  it('/livez answers 200 while the process runs', async () => {
    expect(await get('/livez')).toMatchObject({ status: 200, text: '{"status":"ok"}\n' });
  });

  it('/readyz is 503 until the store is unlocked and a cycle reached the API, then 200; stale again later', async () => {
    let answer = await get('/readyz');
    expect(answer.status).toBe(503);
    expect(JSON.parse(answer.text)).toEqual({
      status: 'fail',
      checks: {
        store: { ok: false, detail: 'not unlocked yet' },
        cycle: { ok: false, detail: 'no cycle has ended yet' },
        api: { ok: false, detail: 'not reached yet' },
      },
    });
    readiness.storeUnlocked();
    readiness.cycleEnded();
    answer = await get('/readyz');
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text).checks).toEqual({
      store: { ok: true },
      cycle: { ok: true },
      api: { ok: true },
    });
    readiness.cycleEnded('the API key was refused (HTTP 403)');
    expect(JSON.parse((await get('/readyz')).text).checks.api).toEqual({
      ok: false,
      detail: 'the API key was refused (HTTP 403)',
    });
    readiness.cycleEnded();
    now += 16_000;
    expect(await get('/readyz')).toMatchObject({ status: 503 });
  });

  it('/metrics is the Prometheus text format with the KMS metrics and Node’s process metrics', async () => {
    metrics.transactions.inc({ chain: 'ETH', outcome: 'signed' }, 3);
    const answer = await get('/metrics');
    expect(answer.status).toBe(200);
    expect(answer.type).toMatch(/^text\/plain/);
    expect(answer.text).toMatch(/^kms_transactions_total\{chain="ETH",outcome="signed"\} 3$/m);
    for (const name of [
      'kms_cycles_total',
      'kms_cycle_duration_seconds',
      'kms_wallets',
      'kms_tatum_requests_total',
      'kms_approval_duration_seconds',
      'kms_signing_duration_seconds',
      'kms_last_successful_cycle_timestamp_seconds',
      'process_cpu_seconds_total',
      'nodejs_eventloop_lag_seconds',
    ])
      expect(answer.text).toContain(`# TYPE ${name} `);
  });

  it('anything else is 404, another method 405', async () => {
    expect((await get('/')).status).toBe(404);
    const post = await fetch(`http://${server.address}/metrics`, { method: 'POST' });
    expect(post.status).toBe(405);
  });
});
