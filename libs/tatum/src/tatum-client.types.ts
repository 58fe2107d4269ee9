/** Options and shapes of TatumClient's calls. */

export interface TatumClientOptions {
  /** TATUM_API_URL, e.g. https://api.tatum.io (a path prefix is kept). */
  apiUrl: string;
  /** Sent as x-api-key; calls fail with ApiKeyRequiredError while it is unset. */
  apiKey?: string;
  /** Sent as x-ttm-kms-client-version and compared with x-ttm-kms-latest-version. */
  clientVersion: string;
  /** Per attempt: connect, send and read the whole answer. Default 15 s. */
  timeoutMs?: number;
  /**
   * Default: 3 attempts, backoff from 200 ms (x2 each retry, jitter 50-100 %), at most 5 s; a request
   * answered 429 is sent again up to 5 times after its Retry-After (TATUM_RETRIES, TATUM_RETRY_DELAY).
   */
  retry?: { attempts?: number; baseDelayMs?: number; maxDelayMs?: number; rateLimitRetries?: number };
  /** Connections per origin, default 16. */
  maxConnections?: number;
  /** Limit on one pending answer (default PENDING_LIMITS.answerBytes, 64 MiB); larger ones fail the call. */
  maxPendingAnswerBytes?: number;
  /** Limit on any other answer (default 4 MiB). */
  maxAnswerBytes?: number;
  logger?: { warn(message: string): void };
  /**
   * Told of every answered or failed call: its method and path (the API key redacted; an id or
   * an address may be in it: keep it out of metric labels) and the HTTP status, 0 when
   * no answer came. Must not throw.
   */
  onRequest?: (method: string, path: string, status: number) => void;
  /** Clock of the once-a-minute version warning. */
  now?: () => number;
}

export interface BroadcastResult {
  txId: string;
  failed?: boolean;
}

export interface OffchainBroadcastRequest {
  /** The chain code (Tatum calls it currency). */
  currency: string;
  txData: string;
  withdrawalId: string;
  /** The pending transaction's id. */
  signatureId: string;
}

/** The API's BroadcastResponse: both fields optional; no txId is a withdrawal the API took. */
export interface OffchainBroadcastResult {
  txId?: string;
  completed?: boolean;
}

export interface TatumRequestOptions {
  /** The call hands something over: retried only when it surely did not reach the API. */
  once?: boolean;
  /** Names the node in a JSON-RPC error (e.g. 'SOL'); default: the path, key redacted. */
  node?: string;
}

/** One failure of a cycle, reported by the pending transaction's id. */
export interface PendingTxError {
  signatureId: string;
  error: string;
}
