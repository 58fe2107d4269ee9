import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How the fake four-eye server answers one transaction id. */
export type ApprovalAnswer = 'approve' | 'deny' | 'error' | 'redirect' | 'hang';

/**
 * A four-eye approval server for tests (127.0.0.1, random port): `GET|POST /{id}` answered by `decide(id)`.
 * Records every id asked. `stop()` closes it and every socket, hanging ones included.
 */
export class ApprovalServer {
  readonly asked: string[] = [];

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(decide: (id: string) => ApprovalAnswer = () => 'approve'): Promise<ApprovalServer> {
    const holder: { self?: ApprovalServer } = {};
    const server = createServer((req, res) => {
      const id = decodeURIComponent((req.url ?? '/').slice(1));
      holder.self?.asked.push(id);
      req.resume();
      switch (decide(id)) {
        case 'approve':
          return res.writeHead(200).end('{}');
        case 'deny':
          return res.writeHead(403).end();
        case 'error':
          return res.writeHead(500).end();
        case 'redirect':
          return res.writeHead(302, { location: `${holder.self?.url}/approved-elsewhere` }).end();
        case 'hang':
          return; // never answers; the KMS's timeout must deny it
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    holder.self = new ApprovalServer(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return holder.self;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
