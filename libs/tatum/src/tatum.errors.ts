import { KmsError, printable } from '@kms/common';

/** How a call to the Tatum API failed. */
export type TatumFailure =
  /** The API answered with a non-2xx status. */
  | 'http'
  /** No answer: the connection could not be made or broke before the answer was complete. */
  | 'network'
  /** No complete answer within the per-request timeout. */
  | 'timeout'
  /** A 2xx answer whose body is not the JSON the call expects. */
  | 'malformed-response';

/**
 * A call to the Tatum API failed. `request` is `METHOD /path` with the API key redacted; the message
 * carries the status and, for error answers, Tatum's `errorCode`/`message`, never a request body and
 * never the API key.
 */
export class TatumApiError extends KmsError {
  constructor(
    readonly request: string,
    readonly failure: TatumFailure,
    detail: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super('TATUM_API_ERROR', `Tatum API ${request} failed: ${detail}`, options);
  }
}

/** The node gateway answered a JSON-RPC call with an `error` object. */
export class TatumRpcError extends KmsError {
  constructor(
    readonly chain: string,
    readonly method: string,
    readonly rpcCode: number | undefined,
    rpcMessage: string,
  ) {
    super(
      'TATUM_RPC_ERROR',
      `${chain} node: ${method} failed${rpcCode === undefined ? '' : ` (${rpcCode})`}: ${rpcMessage}`,
    );
  }
}

/** The Tatum API key is needed for this call but is not configured. */
export class ApiKeyRequiredError extends KmsError {
  constructor() {
    super('API_KEY_REQUIRED', 'The Tatum API key is not set: pass --apiKey or set TATUM_API_KEY');
  }
}

/** A chain code or a declared broadcast path that is not a single API path segment. */
export class UnknownBroadcastChainError extends KmsError {
  constructor(chainOrPath: string) {
    super(
      'UNSUPPORTED_CHAIN',
      `No Tatum endpoint can be formed for ${JSON.stringify(chainOrPath.slice(0, 40))}`,
    );
  }
}

/**
 * One pending transaction from the API does not have the expected shape. The message names the
 * transaction (when its id can be read) and the bad field, never a field's value.
 */
export class InvalidPendingTxError extends KmsError {
  constructor(
    readonly pendingId: string | undefined,
    readonly field: string | undefined,
    problem: string,
  ) {
    const subject =
      pendingId === undefined
        ? 'Pending transaction without a readable id'
        : `Pending transaction ${printable(pendingId, 100)}`;
    super('INVALID_PENDING_ITEM', `${subject} is invalid: ${field ? `${field} ` : ''}${problem}`);
  }
}
