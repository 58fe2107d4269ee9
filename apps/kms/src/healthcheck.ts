import { get } from 'node:http';

/**
 * The Docker image's HEALTHCHECK: exit 0 when the daemon's `/readyz` answers 200, 1 otherwise. It
 * reads TATUM_KMS_METRICS_PORT (and TATUM_KMS_METRICS_HOST): without a port the daemon serves no
 * endpoint and there is nothing to probe, so it exits 0. Standalone (only node:http): it runs every
 * interval, so it must not boot the application.
 */
export function probeReadiness(
  env: Readonly<Record<string, string | undefined>>,
  timeoutMs = 4_000,
): Promise<number> {
  const port = env.TATUM_KMS_METRICS_PORT;
  if (!port) return Promise.resolve(0);
  const configured = env.TATUM_KMS_METRICS_HOST;
  const host = !configured || configured === '0.0.0.0' || configured === '::' ? '127.0.0.1' : configured;
  return new Promise((resolve) => {
    const request = get({ host, port: Number(port), path: '/readyz', timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode === 200 ? 0 : 1);
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(1));
  });
}

if (require.main === module) {
  void probeReadiness(process.env).then((code) => {
    process.exitCode = code;
  });
}
