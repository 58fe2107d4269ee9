import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { ApiAnswer } from './api-answer';
import { HttpTransport, type HttpRequestSpec, type HttpResponse, type RetryRule } from './http-transport';
import { LATEST_VERSION_HEADER, LatestVersionNotice } from './latest-version';
import { PENDING_LIMITS } from './pending-limits';
import { parsePendingItems, type PendingBatch } from './pending-transaction';
import type {
  BroadcastResult,
  OffchainBroadcastRequest,
  OffchainBroadcastResult,
  PendingTxError,
  TatumClientOptions,
  TatumRequestOptions,
} from './tatum-client.types';
import {
  ApiKeyRequiredError,
  TatumApiError,
  TatumRpcError,
  UnknownBroadcastChainError,
} from './tatum.errors';

/** The API takes at most this many signature ids per chain in one pending request (docs/tatum-protocol.md §3). */
export const MAX_PENDING_IDS_PER_REQUEST = 25_000;
/** Every answer but the pending one is small (a txId, a nonce, a fee, a node's JSON-RPC result). */
const MAX_ANSWER_BYTES = 4 * 1024 * 1024;

const CHAIN_CODE = /^[A-Za-z0-9_-]{1,20}$/;
/** One path segment of the API (`/v3/{segment}/broadcast`). */
const PATH_SEGMENT = /^[A-Za-z0-9_-]{1,40}$/;
/** An API path callers may ask for: `/v3/...`, URL-safe characters, no `..`. */
const API_PATH = /^\/v3\/[A-Za-z0-9/_.*?=&%{}:-]{1,500}$/;
/** Replaced by the API key in a path (Tatum's node paths carry it), never shown. */
const API_KEY_PLACEHOLDER = '{apiKey}';

/**
 * The only code that talks to the Tatum API. It knows no chain: the chains declare their paths and
 * make their own calls through `request`, `nodeRpc` and `nodeRest`. Keep-alive connections, a per-attempt
 * timeout, bounded retries with backoff, and no secret in any error or log line: the API key is sent
 * only as a header or inside the node RPC path, and every message shows that path as `.../***`.
 *
 * Retry rule (HttpTransport): reads and the error batch are retried on network errors, timeouts and
 * 5xx. A broadcast (on-chain, off-chain, or an RPC method that sends a transaction) is retried only
 * when the request surely never reached the server (no connection was made). Sending the same signed
 * bytes twice would be harmless on-chain: it is the same transaction with the same hash, and the
 * network keeps one. But the API may have completed the pending transaction on the first request
 * and answer the repeat with an error, so a success would be reported as a failure. Not retrying
 * costs little: the pipeline reports the failure, and a transaction the API did not take stays
 * pending and comes back in the next cycle.
 */
@Injectable()
export class TatumClient implements OnModuleDestroy {
  private readonly baseUrl: string;
  private readonly transport: HttpTransport;
  private readonly versionNotice: LatestVersionNotice;
  private rpcId = 0;
  private requestObserver?: (method: string, path: string, status: number) => void;

  constructor(private readonly options: TatumClientOptions) {
    this.baseUrl = options.apiUrl.replace(/\/+$/, '');
    const logger = options.logger ?? new Logger(TatumClient.name);
    this.transport = new HttpTransport({
      timeoutMs: options.timeoutMs ?? 15_000,
      attempts: Math.max(1, options.retry?.attempts ?? 3),
      baseDelayMs: options.retry?.baseDelayMs ?? 200,
      maxDelayMs: options.retry?.maxDelayMs ?? 5_000,
      rateLimitRetries: options.retry?.rateLimitRetries ?? 5,
      maxRetryAfterMs: 60_000,
      maxSockets: options.maxConnections ?? 16,
      maxBodyBytes: options.maxAnswerBytes ?? MAX_ANSWER_BYTES,
      onRetry: (label, reason, attempt, delayMs) =>
        logger.warn(this.redact(`Tatum API ${label}: ${reason}; retry ${attempt} in ${delayMs} ms`)),
      onRateLimited: (pauseMs) =>
        logger.warn(
          `The Tatum API is rate limiting (HTTP 429): requests wait ${Math.ceil(pauseMs / 1000)} s as it asks, then go on (this notice: at most every 10 s)`,
        ),
    });
    this.versionNotice = new LatestVersionNotice(
      options.clientVersion,
      (message) => logger.warn(message),
      options.now,
    );
    this.requestObserver = options.onRequest;
  }

  /** Sets the observer of every call (see TatumClientOptions.onRequest); the daemon counts them. */
  observeRequests(observer: (method: string, path: string, status: number) => void): void {
    this.requestObserver = observer;
  }

  /**
   * Pending transactions of `chain` for these signature ids, in requests of at most 25,000 ids (sent
   * one after another). Items are validated one by one: bad ones (PENDING_LIMITS included) come back
   * in `invalid`. No ids, no request. An answer that is not a JSON array, or larger than
   * PENDING_LIMITS.answerBytes, is a TatumApiError.
   */
  async pending(chain: string, signatureIds: readonly string[]): Promise<PendingBatch> {
    const code = this.chainCode(chain);
    const ids = [...new Set(signatureIds)];
    const items: unknown[] = [];
    for (let start = 0; start < ids.length; start += MAX_PENDING_IDS_PER_REQUEST) {
      const chunk = ids.slice(start, start + MAX_PENDING_IDS_PER_REQUEST);
      const answer = await this.call(
        'POST',
        `/v3/kms/pending/${code}`,
        'transient',
        { signatureIds: chunk },
        this.options.maxPendingAnswerBytes ?? PENDING_LIMITS.answerBytes,
      );
      const list = answer.json;
      if (!Array.isArray(list)) throw answer.malformed('the answer is not an array');
      for (const item of list) items.push(item);
    }
    return parsePendingItems(items, code);
  }

  /**
   * `POST /v3/{broadcastPath}/broadcast` (the path the chain declares). Retried only when it surely
   * did not reach the API (see the class).
   */
  async broadcast(broadcastPath: string, txData: string, signatureId?: string): Promise<BroadcastResult> {
    if (!PATH_SEGMENT.test(broadcastPath)) throw new UnknownBroadcastChainError(broadcastPath);
    const answer = await this.call('POST', `/v3/${broadcastPath}/broadcast`, 'unsent', {
      txData,
      signatureId,
    });
    const { txId, failed } = answer.object();
    if (typeof txId !== 'string' || !txId) throw answer.malformed('the answer has no txId');
    return failed === undefined || failed === null ? { txId } : { txId, failed: failed === true };
  }

  /**
   * `POST /v3/offchain/withdrawal/broadcast` for a pending transaction with a withdrawalId. The API
   * answers `{txId?, completed?}` (both optional in its BroadcastResponse): an answer without txId
   * is a withdrawal the API took, not a failure. A txId that is not a string is malformed.
   */
  async offchainBroadcast(request: OffchainBroadcastRequest): Promise<OffchainBroadcastResult> {
    const { currency, txData, withdrawalId, signatureId } = request;
    const body = { currency, txData, withdrawalId, signatureId };
    const answer = await this.call('POST', '/v3/offchain/withdrawal/broadcast', 'unsent', body);
    const { txId, completed } = answer.object();
    if (txId !== undefined && txId !== null && (typeof txId !== 'string' || !txId)) {
      throw answer.malformed('the answer has an invalid txId');
    }
    return {
      ...(typeof txId === 'string' ? { txId } : {}),
      ...(typeof completed === 'boolean' ? { completed } : {}),
    };
  }

  /** Reports the failures of a cycle in one `POST /v3/tatum/kms/batch`; no errors, no request. */
  async reportErrors(errors: readonly PendingTxError[]): Promise<void> {
    if (errors.length === 0) return;
    const body = { errors: errors.map(({ signatureId, error }) => ({ signatureId, error })) };
    await this.call('POST', '/v3/tatum/kms/batch', 'transient', body);
  }

  /**
   * Any call a chain declares (its nonce, fee or helper endpoints): `path` starts with `/v3/`, and
   * `{apiKey}` in it is replaced by the API key. Resolves to the parsed JSON answer (undefined when
   * the body is empty). `once`: retried only when it surely did not reach the API.
   */
  async request(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    options: TatumRequestOptions = {},
  ): Promise<unknown> {
    const answer = await this.call(
      method,
      this.apiPath(method, path),
      options.once ? 'unsent' : 'transient',
      body,
    );
    return answer.json;
  }

  /**
   * One JSON-RPC 2.0 call to a node behind the API, e.g. `POST /v3/blockchain/node/{CHAIN}/{apiKey}`
   * (`basePath`, `{apiKey}` filled in). Returns `result`; an `error` answer throws TatumRpcError.
   */
  async nodeRpc<T = unknown>(
    basePath: string,
    method: string,
    params: unknown[] | Record<string, unknown> = [],
    options: TatumRequestOptions = {},
  ): Promise<T> {
    const path = this.apiPath('POST', basePath);
    const body = { jsonrpc: '2.0', id: ++this.rpcId, method, params };
    const answer = await this.call('POST', path, options.once ? 'unsent' : 'transient', body);
    const reply = answer.object();
    if (reply.error !== undefined && reply.error !== null) {
      const error =
        typeof reply.error === 'object'
          ? (reply.error as { code?: unknown; message?: unknown })
          : { message: reply.error };
      const message = typeof error.message === 'string' ? error.message : 'no message';
      throw new TatumRpcError(
        options.node ?? this.redact(basePath).slice(0, 80),
        method.slice(0, 60),
        typeof error.code === 'number' ? error.code : undefined,
        this.redact(message).slice(0, 300),
      );
    }
    if (!('result' in reply)) throw answer.malformed('the JSON-RPC answer has neither result nor error');
    return reply.result as T;
  }

  /**
   * One REST call to a node behind the API: `{method} {basePath}/{path}` (`{apiKey}` filled in), e.g.
   * Tatum's gateway `/v3/blockchain/node/{target}/{apiKey}` or `/v3/egld/node/{apiKey}`. Returns the
   * parsed JSON answer; a non-2xx answer throws TatumApiError.
   */
  async nodeRest(
    basePath: string,
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    options: TatumRequestOptions = {},
  ): Promise<unknown> {
    const full = `${basePath.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
    return this.request(method, full, body, options);
  }

  onModuleDestroy(): void {
    this.transport.close();
  }

  /** Sends one call and maps a non-2xx answer to TatumApiError; the body is parsed lazily. */
  private async call(
    method: HttpRequestSpec['method'],
    path: string,
    retry: RetryRule,
    body?: unknown,
    maxBodyBytes?: number,
  ): Promise<ApiAnswer> {
    const apiKey = this.apiKey();
    const label = this.redact(`${method} ${path}`);
    const headers: Record<string, string> = {
      accept: 'application/json',
      'accept-encoding': 'gzip, deflate, br',
      'x-api-key': apiKey,
      'x-ttm-kms-client-version': this.options.clientVersion,
    };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const url = new URL(this.baseUrl + path);
    const json = body === undefined ? undefined : JSON.stringify(body);
    let response: HttpResponse;
    try {
      response = await this.transport.request({
        method,
        url,
        label,
        headers,
        body: json,
        retry,
        maxBodyBytes,
      });
    } catch (error) {
      this.requestObserver?.(method, this.redact(path), 0);
      throw error;
    }
    this.requestObserver?.(method, this.redact(path), response.status);
    this.versionNotice.observe(response.headers[LATEST_VERSION_HEADER]);
    if (response.status < 200 || response.status >= 300) {
      throw new TatumApiError(label, 'http', this.describeErrorAnswer(response), response.status);
    }
    return new ApiAnswer(label, response);
  }

  /** `HTTP 403 (errorCode: message)` from Tatum's error JSON; the rest of the body is not shown. */
  private describeErrorAnswer(response: HttpResponse): string {
    let detail = '';
    try {
      const parsed = JSON.parse(response.body) as {
        errorCode?: unknown;
        message?: unknown;
        error?: { message?: unknown };
      };
      const parts = [parsed.errorCode, parsed.message ?? parsed.error?.message].filter(
        (part) => typeof part === 'string',
      );
      detail = parts.join(': ');
    } catch {
      // not JSON: the status says enough
    }
    detail = this.redact(detail)
      .replace(/[\u0000-\u001f]+/g, ' ')
      .slice(0, 300);
    const tries = response.attempts > 1 ? ` (after ${response.attempts} attempts)` : '';
    return `HTTP ${response.status}${detail ? ` (${detail})` : ''}${tries}`;
  }

  private redact(text: string): string {
    const key = this.options.apiKey;
    if (!key) return text;
    return text.split(encodeURIComponent(key)).join('***').split(key).join('***');
  }

  private apiKey(): string {
    if (!this.options.apiKey) throw new ApiKeyRequiredError();
    return this.options.apiKey;
  }

  private chainCode(chain: string): string {
    if (!CHAIN_CODE.test(chain)) throw new UnknownBroadcastChainError(chain);
    return chain.toUpperCase();
  }

  /** The path with the API key filled in; an invalid path throws before anything is sent. */
  private apiPath(method: string, path: string): string {
    if (!API_PATH.test(path) || path.includes('..')) {
      throw new TatumApiError(
        `${method} ${this.redact(path).slice(0, 80)}`,
        'malformed-response',
        'invalid API path',
      );
    }
    return path.split(API_KEY_PLACEHOLDER).join(encodeURIComponent(this.apiKey()));
  }
}
