import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type {
  ApprovalDecision,
  ApprovalGateway,
  ApprovalSubject,
  ApproveOptions,
} from './approval-gateway.port';
import { DENIED } from './four-eye.messages';

export const DEFAULT_APPROVAL_TIMEOUT_MS = 5000;
/** Bodies up to this size are read to the end so the keep-alive socket is reused; larger ones are cancelled. */
const MAX_DRAINED_BYTES = 64 * 1024;
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
]);

export interface HttpApprovalOptions {
  /** Time allowed for the approval server's status line and headers. Default 5000 ms. */
  timeoutMs?: number;
}

/**
 * Asks the approval server at `{externalUrl}/{encodeURIComponent(id)}` (GET, or POST with the
 * pending transaction as a JSON body). Only a 2xx status within the timeout approves; a redirect is
 * not followed and denies, as do 4xx/5xx, timeouts, aborts and network errors. A query string in
 * externalUrl is kept after the id; credentials in it (`https://user:pass@host`) are sent as HTTP
 * Basic authentication, as tatum-kms (axios) did, and never appear in a reason.
 */
export class HttpApprovalGateway implements ApprovalGateway {
  private readonly base: URL;
  private readonly authorization?: string;
  private readonly timeoutMs: number;
  /** Keep-alive connections to the approval server, as many as the daemon's signing concurrency (48). */
  private readonly httpAgent = new HttpAgent({ keepAlive: true, maxSockets: 48 });
  private readonly httpsAgent = new HttpsAgent({ keepAlive: true, maxSockets: 48 });

  constructor(
    externalUrl: string,
    private readonly method: 'GET' | 'POST' = 'GET',
    options: HttpApprovalOptions = {},
  ) {
    const url = URL.canParse(externalUrl) ? new URL(externalUrl) : undefined;
    if (!url) throw new TypeError('externalUrl is not a valid URL');
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw new TypeError('externalUrl must be an http(s) URL');
    if (method !== 'GET' && method !== 'POST') throw new TypeError('externalUrlMethod must be GET or POST');
    if (url.username || url.password) {
      const user = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
      this.authorization = `Basic ${Buffer.from(user).toString('base64')}`;
      url.username = '';
      url.password = '';
    }
    url.hash = '';
    this.base = url;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_APPROVAL_TIMEOUT_MS;
    if (!Number.isFinite(this.timeoutMs) || this.timeoutMs <= 0)
      throw new RangeError('timeoutMs must be > 0');
  }

  async approve<T extends ApprovalSubject>(tx: T, options: ApproveOptions = {}): Promise<ApprovalDecision> {
    const url = this.urlFor(tx.id);
    if (!url) return deny(DENIED.badId);
    if (options.signal?.aborted) return deny(DENIED.aborted);
    const body = this.method === 'POST' ? Buffer.from(JSON.stringify(tx)) : undefined;
    const headers: Record<string, string | number> = {};
    if (body !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = body.length;
    }
    if (this.authorization) headers.authorization = this.authorization;

    return new Promise<ApprovalDecision>((resolve) => {
      let settled = false;
      /** Set by the status line; from then on the timeout only ends the body read. */
      let decided: ApprovalDecision | undefined;
      const finish = (decision: ApprovalDecision): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        resolve(decision);
      };
      const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
      const req = send(url, {
        method: this.method,
        headers,
        agent: url.protocol === 'https:' ? this.httpsAgent : this.httpAgent,
      });
      // The timeout is the approval server's: it starts when the request has a connection, not
      // while it waits for one behind other requests to a slow server.
      let timer: NodeJS.Timeout | undefined;
      req.once('socket', () => {
        if (settled) return;
        timer = setTimeout(() => {
          finish(decided ?? deny(DENIED.timeout(this.timeoutMs)));
          req.destroy();
        }, this.timeoutMs);
      });
      const onAbort = (): void => {
        finish(deny(DENIED.aborted));
        req.destroy();
      };
      options.signal?.addEventListener('abort', onAbort, { once: true });
      req.on('error', (error) => finish(deny(networkReason(error))));
      req.on('response', (res) => {
        const decision = (decided = decide(res.statusCode ?? 0));
        // Read a small body to its end so the keep-alive socket is reused; give up on a large one.
        let received = 0;
        res.on('data', (chunk: Buffer) => {
          received += chunk.length;
          if (received > MAX_DRAINED_BYTES) {
            res.destroy();
            finish(decision);
          }
        });
        res.on('end', () => finish(decision));
        res.on('error', () => finish(decision));
        res.on('close', () => finish(decision));
      });
      req.end(body);
    });
  }

  /** The id as one path segment after externalUrl's path; undefined for ids a URL would rewrite. */
  private urlFor(id: unknown): URL | undefined {
    if (typeof id !== 'string' || id === '' || id === '.' || id === '..') return undefined;
    const url = new URL(this.base);
    url.pathname = `${this.base.pathname.replace(/\/+$/, '')}/${encodeURIComponent(id)}`;
    return url;
  }
}

const deny = (reason: string): ApprovalDecision => ({ approved: false, reason });

function decide(status: number): ApprovalDecision {
  if (status >= 200 && status <= 299) return { approved: true };
  if (status >= 300 && status <= 399) return deny(DENIED.redirect(status));
  return deny(DENIED.status(status));
}

/** A short, safe description of a request failure: the system error code when there is one. */
function networkReason(error: unknown): string {
  // Duck-typed, not instanceof: errors may come from another realm (e.g. under jest).
  const outer = isObject(error) ? error : {};
  const cause = outer.cause !== undefined ? outer.cause : error;
  const code = errorCode(cause);
  if (code) return UNREACHABLE_CODES.has(code) ? DENIED.unreachable(code) : DENIED.failed(code);
  const message = isObject(cause) && typeof cause.message === 'string' ? cause.message : String(cause);
  return DENIED.failed(message.slice(0, 120) || 'unknown error');
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

function errorCode(error: unknown): string | undefined {
  if (!isObject(error)) return undefined;
  const { code, errors } = error;
  if (typeof code === 'string') return code;
  if (Array.isArray(errors)) return errors.map(errorCode).find(Boolean);
  return undefined;
}
