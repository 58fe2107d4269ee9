import { KmsMetrics, OpsServer, Readiness } from '@kms/ops';
import { probeReadiness } from './healthcheck';

describe('probeReadiness (the image HEALTHCHECK)', () => {
  let server: OpsServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('is healthy when /readyz answers 200 and unhealthy on 503 or no answer', async () => {
    const readiness = new Readiness(60_000);
    server = await OpsServer.start({ host: '127.0.0.1', port: 0 }, new KmsMetrics(), readiness);
    const env = { TATUM_KMS_METRICS_PORT: server.address.split(':').pop() };
    expect(await probeReadiness(env)).toBe(1); // nothing unlocked, no cycle yet
    readiness.storeUnlocked();
    readiness.cycleEnded();
    expect(await probeReadiness(env)).toBe(0);
    expect(await probeReadiness({ ...env, TATUM_KMS_METRICS_HOST: '0.0.0.0' })).toBe(0);
    await server.close();
    server = undefined;
    expect(await probeReadiness(env)).toBe(1);
  });

  it('has nothing to probe without a metrics port', async () => {
    expect(await probeReadiness({})).toBe(0);
  });
});
