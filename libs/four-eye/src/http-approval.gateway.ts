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
  'UND_ERR_CONNECT_TIMEOUT',
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
    const body = this.method === 'POST' ? JSON.stringify(tx) : undefined;
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.authorization) headers.authorization = this.authorization;

    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.timeoutMs);
    const onAbort = (): void => controller.abort();
    if (options.signal?.aborted) controller.abort();
    else options.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const response = await fetch(url, {
        method: this.method,
        headers,
        body,
        redirect: 'manual',
        signal: controller.signal,
      });
      const decision = decide(response.status);
      await drain(response);
      return decision;
    } catch (error) {
      if (timedOut) return deny(DENIED.timeout(this.timeoutMs));
      if (controller.signal.aborted) return deny(DENIED.aborted);
      return deny(networkReason(error));
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
    }
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

/** Reads a small body to its end (or cancels a large one); errors only mean the socket is not reused. */
async function drain(response: Response): Promise<void> {
  const reader = response.body?.getReader();
  if (!reader) return;
  try {
    for (let received = 0; ;) {
      const { done, value } = await reader.read();
      if (done) return;
      received += value.byteLength;
      if (received > MAX_DRAINED_BYTES) {
        await reader.cancel();
        return;
      }
    }
  } catch {
    // Aborted or reset while draining: the decision already stands.
  }
}

/** A short, safe description of a fetch failure: the system error code when there is one. */
function networkReason(error: unknown): string {
  // Duck-typed, not instanceof: fetch's errors may come from another realm (e.g. under jest).
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
