import {
  Agent as HttpAgent,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
} from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { RateLimitGate, retryAfterMs } from './rate-limit-gate';
import { TatumApiError } from './tatum.errors';

/**
 * When a failed attempt may be sent again.
 * - `transient`: on network errors, timeouts and 5xx answers. For calls that are safe to repeat:
 *   reads (pending, nonce, fee, most node RPC) and the error batch (a duplicate report is harmless).
 * - `unsent`: only when the request surely never reached the server, i.e. the connection was never
 *   established (refused, DNS failure, unreachable, timed out while connecting). For broadcasts: see
 *   TatumClient for why a broadcast that may have arrived is not repeated.
 * Never on a 4xx answer, never on a 2xx answer whatever its body, with one exception for both rules:
 * a 429 (rate limited) was refused before any processing, so it is sent again after its Retry-After,
 * up to `rateLimitRetries` times; meanwhile the RateLimitGate holds back every other request too.
 */
export type RetryRule = 'transient' | 'unsent';

export interface TransportOptions {
  /** Whole-attempt deadline: connect, send, and read the complete answer. */
  timeoutMs: number;
  /** Attempts in all, including the first. */
  attempts: number;
  /** Backoff before retry n is baseDelayMs * 2^(n-1), scaled by a random factor in [0.5, 1], capped. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Open connections per origin; idle ones are kept alive and reused. */
  maxSockets: number;
  /** Larger answers are refused, unless the request sets its own limit. */
  maxBodyBytes: number;
  /** How many times a request answered 429 is sent again (tatum-js: TATUM_RETRIES, default 5). */
  rateLimitRetries: number;
  /** A Retry-After longer than this is not waited for: the 429 is the answer. */
  maxRetryAfterMs: number;
  /** Called before each retry, with the redacted request label. */
  onRetry?: (label: string, reason: string, attempt: number, delayMs: number) => void;
  /** Called when the API rate-limits (429), at most once every 10 s, with the pause it asked for. */
  onRateLimited?: (pauseMs: number) => void;
}

export interface HttpRequestSpec {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: URL;
  /** `METHOD /path` with secrets redacted: the only form of the URL that errors and logs ever show. */
  label: string;
  headers: Record<string, string>;
  body?: string;
  retry: RetryRule;
  /** This request's limit on the answer, instead of TransportOptions.maxBodyBytes. */
  maxBodyBytes?: number;
}

export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  /** How many attempts it took. */
  attempts: number;
}

/** A failed attempt; `mayHaveArrived` is false only while no connection was ever established. */
class AttemptFailure extends Error {
  constructor(
    readonly kind: 'network' | 'timeout',
    readonly mayHaveArrived: boolean,
    readonly detail: string,
    cause?: unknown,
  ) {
    super(detail, { cause });
  }
}

/**
 * Node's http/https with keep-alive agents: one pool per client, connections reused across calls.
 * Idle connections close after 4 s, before a typical server's keep-alive timeout (Node 5 s), which
 * keeps the "server closed the idle connection as we reused it" race rare.
 */
export class HttpTransport {
  private readonly agents: { http: HttpAgent; https: HttpsAgent };
  /** Held closed while the API answers 429, for every request of this transport. */
  private readonly gate = new RateLimitGate();

  constructor(private readonly options: TransportOptions) {
    const agentOptions = {
      keepAlive: true,
      maxSockets: options.maxSockets,
      maxFreeSockets: options.maxSockets,
      timeout: 4_000,
    };
    this.agents = { http: new HttpAgent(agentOptions), https: new HttpsAgent(agentOptions) };
  }

  /** Sends the request with the retry rule; returns the final answer whatever its status. */
  async request(spec: HttpRequestSpec): Promise<HttpResponse> {
    let limited = 0;
    for (let attempt = 1; ; attempt++) {
      const last = attempt >= this.options.attempts;
      let reason: string;
      try {
        await this.gate.pass();
        const response = await this.attempt(spec);
        if (response.status === 429) {
          const waitMs = retryAfterMs(response.headers['retry-after']) ?? this.backoff(limited + 1);
          this.gate.pause(Math.min(waitMs, this.options.maxRetryAfterMs));
          if (limited >= this.options.rateLimitRetries || waitMs > this.options.maxRetryAfterMs)
            return { ...response, attempts: attempt };
          limited++;
          attempt--; // a refused request is not a failed attempt
          this.noticeRateLimit(waitMs);
          continue;
        }
        if (last || response.status < 500 || spec.retry !== 'transient')
          return { ...response, attempts: attempt };
        reason = `HTTP ${response.status}`;
      } catch (error) {
        if (!(error instanceof AttemptFailure)) throw error;
        const retryable = spec.retry === 'transient' || !error.mayHaveArrived;
        if (last || !retryable) {
          const tries = attempt > 1 ? ` (after ${attempt} attempts)` : '';
          throw new TatumApiError(spec.label, error.kind, `${error.detail}${tries}`, undefined, {
            cause: error.cause,
          });
        }
        reason = error.detail;
      }
      const delayMs = this.backoff(attempt);
      this.options.onRetry?.(spec.label, reason, attempt, delayMs);
      await sleep(delayMs);
    }
  }

  private lastRateNotice = -Infinity;

  private noticeRateLimit(pauseMs: number): void {
    const now = Date.now();
    if (now - this.lastRateNotice < 10_000) return;
    this.lastRateNotice = now;
    this.options.onRateLimited?.(pauseMs);
  }

  /** Closes every pooled connection. */
  close(): void {
    this.agents.http.destroy();
    this.agents.https.destroy();
  }

  private backoff(attempt: number): number {
    const exponential = Math.min(this.options.maxDelayMs, this.options.baseDelayMs * 2 ** (attempt - 1));
    return Math.round(exponential * (0.5 + Math.random() / 2));
  }

  private attempt(spec: HttpRequestSpec): Promise<HttpResponse> {
    const secure = spec.url.protocol === 'https:';
    const headers = {
      ...spec.headers,
      ...(spec.body === undefined ? {} : { 'content-length': String(Buffer.byteLength(spec.body)) }),
    };
    return new Promise((resolve, reject) => {
      let connected = false;
      let timedOut = false;
      let settled = false;
      const settle = (result: () => void): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        result();
      };
      const fail = (error: Error & { code?: string }, whileReading = false): void => {
        const detail = timedOut
          ? `no complete answer within ${this.options.timeoutMs} ms`
          : `${!connected ? 'could not connect' : whileReading ? 'connection broke while reading the answer' : 'connection closed before an answer'} (${error.code ?? error.message})`;
        settle(() => reject(new AttemptFailure(timedOut ? 'timeout' : 'network', connected, detail, error)));
      };

      const send = secure ? httpsRequest : httpRequest;
      const request = send(spec.url, {
        method: spec.method,
        headers,
        agent: secure ? this.agents.https : this.agents.http,
      });
      const timer = setTimeout(() => {
        timedOut = true;
        request.destroy(new Error('timeout'));
      }, this.options.timeoutMs);

      request.once('socket', (socket) => {
        // Conservative: a socket that is not connecting any more counts as connected.
        if (request.reusedSocket || !socket.connecting) connected = true;
        else socket.once(secure ? 'secureConnect' : 'connect', () => (connected = true));
      });
      request.on('error', (error) => fail(error));
      request.once('response', (response) => {
        this.readBody(response, spec.label, spec.maxBodyBytes ?? this.options.maxBodyBytes).then(
          (body) =>
            settle(() =>
              resolve({ status: response.statusCode ?? 0, headers: response.headers, body, attempts: 1 }),
            ),
          (error: Error) => {
            if (error instanceof TatumApiError) settle(() => reject(error));
            else fail(error, true);
          },
        );
      });
      request.end(spec.body);
    });
  }

  /** The whole body as text, decompressed; a body over maxBodyBytes is a malformed answer (no retry). */
  private readBody(response: IncomingMessage, label: string, maxBodyBytes: number): Promise<string> {
    const decoder = decoderFor(response.headers['content-encoding']);
    const stream: NodeJS.ReadableStream = decoder ? response.pipe(decoder) : response;
    const chunks: Buffer[] = [];
    let size = 0;
    return new Promise((resolve, reject) => {
      response.once('aborted', () => reject(Object.assign(new Error('aborted'), { code: 'ECONNRESET' })));
      response.on('error', reject);
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBodyBytes) {
          reject(
            new TatumApiError(
              label,
              'malformed-response',
              `answer larger than ${maxBodyBytes} bytes`,
              response.statusCode,
            ),
          );
          response.destroy();
          return;
        }
        chunks.push(chunk);
      });
      stream.on('error', reject);
      stream.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    });
  }
}

function decoderFor(encoding: string | undefined): NodeJS.ReadWriteStream | undefined {
  switch (encoding?.trim().toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return createGunzip();
    case 'deflate':
      return createInflate();
    case 'br':
      return createBrotliDecompress();
    default:
      return undefined;
  }
}
