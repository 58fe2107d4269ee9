/**
 * What a chain needs from the Tatum API, declared by its signer (`ChainSigner.tatum`): the daemon
 * routes broadcasts by it and knows no chain itself. A plugin chain declares its own.
 */
export interface TatumApiDeclaration {
  /** The path segment of `POST /v3/{broadcastPath}/broadcast`, e.g. 'ethereum'. */
  readonly broadcastPath: string;
  /**
   * True when a pending transaction with a withdrawalId goes to `POST /v3/offchain/withdrawal/broadcast`
   * (tatum-kms 8.0.1 does so for BTC, LTC, DOGE, BCH, ETH, ONE and ADA); false sends it to the chain's
   * own broadcast like any other transaction.
   */
  readonly offchainWithdrawals: boolean;
  /** The path segment of `GET /v3/{noncePath}/transaction/count/{address}`, for chains that ask it. */
  readonly noncePath?: string;
}

/** `{apiKey}` in a Tatum API path is replaced by the API key (Tatum's node paths carry it), never shown. */
export const API_KEY_PLACEHOLDER = '{apiKey}';

export interface TatumCallOptions {
  /**
   * The call hands something over that must not be done twice (a transaction, a lent key): it is
   * retried only when it surely did not reach the API. Other calls are retried on network errors,
   * timeouts and 5xx.
   */
  readonly once?: boolean;
}

/**
 * Where a node call goes when the operator set no TATUM_KMS_NODE_URL_<NODE>: a base path of the Tatum
 * API (default `/v3/blockchain/node/{NODE}/{apiKey}`, Tatum's node gateway), or a public node's URL.
 */
export type NodeDefault = { readonly tatumPath: string } | { readonly url: string };

/** A JSON-RPC 2.0 call: resolves to `result`; an `error` answer rejects. */
export interface NodeRpcRequest {
  readonly rpc: string;
  readonly params?: unknown[] | Record<string, unknown>;
  readonly once?: boolean;
  readonly fallback?: NodeDefault;
}

/** A REST call to `{node URL}/{path}`: resolves to the status and the JSON body (undefined if not JSON). */
export interface NodeRestRequest {
  readonly method: 'GET' | 'POST';
  /** Relative to the node's URL, query string included (e.g. `accounts/*?revision=best`). */
  readonly path: string;
  readonly body?: unknown;
  readonly once?: boolean;
  readonly fallback?: NodeDefault;
}

export interface NodeRestAnswer {
  /** The HTTP status (through Tatum's gateway only 2xx answers arrive: others reject). */
  readonly status: number;
  readonly body: unknown;
}

/**
 * The outside world of a signing chain: a small generic port the daemon implements once. Each chain
 * builds its own typed calls on it, in its folder. Calls reject on transport errors and (Tatum API)
 * non-2xx answers; errors never show the API key or a node URL's credentials.
 */
export interface ChainNetwork {
  /** One call to the Tatum API; resolves to the parsed JSON answer (undefined when empty). */
  tatum(method: 'GET' | 'POST', path: string, body?: unknown, options?: TatumCallOptions): Promise<unknown>;
  /**
   * One call to a node of `node` (a chain code or a node name such as 'cardano-preprod'): the
   * operator's TATUM_KMS_NODE_URL_<NODE> ('-' read as '_') when set, else `request.fallback`.
   */
  node(node: string, request: NodeRpcRequest): Promise<unknown>;
  node(node: string, request: NodeRestRequest): Promise<NodeRestAnswer>;
}
