import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How the fake four-eye server answers one transaction id. */
export type ApprovalAnswer = 'approve' | 'deny' | 'error' | 'redirect' | 'hang';

/**
 * A four-eye approval server for tests (127.0.0.1, random port): `GET|POST /{id}` answered by `decide(id)`.
 * Records every id asked, and the body of each POST by id. `stop()` closes it and every socket,
 * hanging ones included.
 */
export class ApprovalServer {
  readonly asked: string[] = [];
  readonly bodies = new Map<string, string>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(decide: (id: string) => ApprovalAnswer = () => 'approve'): Promise<ApprovalServer> {
    const holder: { self?: ApprovalServer } = {};
    const server = createServer((req, res) => {
      const id = decodeURIComponent((req.url ?? '/').slice(1));
      holder.self?.asked.push(id);
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      // Answers once the whole request is in, so a recorded body is complete before the KMS hears back.
      req.on('end', () => {
        if (req.method === 'POST') holder.self?.bodies.set(id, Buffer.concat(chunks).toString('utf8'));
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
