import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** Larger request bodies are refused (413): the sandbox's clients send a few kilobytes at most. */
const MAX_BODY_BYTES = 1024 * 1024;

/** One request as the handler sees it: method, path without the query, query string, parsed JSON body. */
export interface LoopbackRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  /** The parsed JSON body; undefined when empty or not JSON. */
  body: unknown;
}

/** What the handler answers: a status and a JSON body (none for 204). */
export interface LoopbackAnswer {
  status: number;
  body?: unknown;
}

export type LoopbackHandler = (request: LoopbackRequest) => LoopbackAnswer | Promise<LoopbackAnswer>;

/**
 * A JSON HTTP server on 127.0.0.1 (any free port), for the sandbox's embedded servers: it listens on
 * the loopback address only, so nothing outside this machine can reach it. A handler that throws
 * answers 500 with its message. `close()` ends every connection, idle keep-alive ones included.
 */
export class LoopbackServer {
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
  }

  static async start(handler: LoopbackHandler): Promise<LoopbackServer> {
    const server = createServer((req, res) => {
      void readBody(req).then(async (text) => {
        let answer: LoopbackAnswer;
        if (text === undefined) answer = { status: 413, body: { message: 'request body too large' } };
        else {
          const url = new URL(req.url ?? '/', 'http://127.0.0.1');
          try {
            answer = await handler({
              method: req.method ?? 'GET',
              path: url.pathname,
              query: url.searchParams,
              headers: req.headers,
              body: parseJson(text),
            });
          } catch (error) {
            answer = { status: 500, body: { message: error instanceof Error ? error.message : 'error' } };
          }
        }
        if (answer.body === undefined) res.writeHead(answer.status).end();
        else
          res
            .writeHead(answer.status, { 'content-type': 'application/json' })
            .end(JSON.stringify(answer.body));
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    return new LoopbackServer(server, `http://127.0.0.1:${port}`);
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }
}

/** The body as text; undefined when it exceeds MAX_BODY_BYTES. */
function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(undefined));
  });
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
