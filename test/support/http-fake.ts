import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * A scripted fault of a fake server: '500' (the server's own error body), 'hang' (never answers,
 * until the server stops), 'close' (destroys the connection after reading the request),
 * 'malformed-json' (HTTP 200 with `{bad json`), or any answer (a string body is sent as is).
 */
export type HttpFault =
  | '500'
  | 'hang'
  | 'close'
  | 'malformed-json'
  | { status: number; body?: unknown; headers?: Record<string, string> };

/** Answers `fault`; `serverError` writes the fake's own HTTP 500 for '500'. */
export function applyFault(
  fault: HttpFault,
  req: IncomingMessage,
  res: ServerResponse,
  serverError: (res: ServerResponse) => void,
): void {
  if (fault === '500') return serverError(res);
  if (fault === 'hang') return;
  if (fault === 'close') return void req.socket.destroy();
  if (fault === 'malformed-json') {
    return void res.writeHead(200, { 'content-type': 'application/json' }).end('{bad json');
  }
  const text =
    typeof fault.body === 'string' ? fault.body : fault.body === undefined ? '' : JSON.stringify(fault.body);
  res.writeHead(fault.status, { 'content-type': 'application/json', ...fault.headers }).end(text);
}

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** The parsed JSON text; undefined when empty or not JSON. */
export function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
