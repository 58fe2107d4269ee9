import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KmsMetrics } from './kms-metrics';
import type { Readiness } from './readiness';

/**
 * The daemon's operations endpoint (off unless a port is given), for probes and Prometheus:
 * - `GET /livez`: 200 while the process runs (it answers from the daemon's own event loop);
 * - `GET /readyz`: 200 when Readiness says ready, else 503; the JSON body names each check;
 * - `GET /metrics`: the Prometheus text format.
 * Nothing else: 404 (405 for another method). It never shows a wallet id, an address, a key or the
 * API key: the readiness details and the metric labels hold none.
 */
export class OpsServer {
  private constructor(private readonly server: Server) {}

  static async start(
    options: { host: string; port: number },
    metrics: KmsMetrics,
    readiness: Readiness,
  ): Promise<OpsServer> {
    const server = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0];
      const json = (status: number, body: unknown) =>
        res.writeHead(status, { 'content-type': 'application/json' }).end(`${JSON.stringify(body)}\n`);
      if (!['/livez', '/readyz', '/metrics'].includes(path)) return json(404, { error: 'not found' });
      if (req.method !== 'GET' && req.method !== 'HEAD') return json(405, { error: 'method not allowed' });
      if (path === '/livez') return json(200, { status: 'ok' });
      if (path === '/readyz') {
        const report = readiness.report();
        return json(report.ready ? 200 : 503, {
          status: report.ready ? 'ok' : 'fail',
          checks: report.checks,
        });
      }
      metrics.text().then(
        (text) => res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text),
        () => json(500, { error: 'metrics unavailable' }),
      );
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    return new OpsServer(server);
  }

  /** `host:port` actually bound (port 0 picks a free one). */
  get address(): string {
    const { address, port } = this.server.address() as AddressInfo;
    return `${address.includes(':') ? `[${address}]` : address}:${port}`;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
