import { createHash } from 'node:crypto';
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { sha3_256 } from '@noble/hashes/sha3.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { MAX_PENDING_IDS_PER_REQUEST, type PendingTransaction, type PendingTxError } from '@kms/tatum';
import { applyFault, type HttpFault, parseJson, readBody, sendJson } from './http-fake';
import { FEE_ENDPOINT_CHAINS, TATUM_API_PATHS, chainOfPath } from './tatum-api-paths';

/**
 * A fake Tatum API (docs/tatum-protocol.md §3) on 127.0.0.1 for unit, e2e tests and benchmarks.
 *
 * - Pending transactions stay until they are broadcast (a broadcast's signatureId is a pending id),
 *   completed (PUT /v3/kms/{id}/{txId}) or deleted, as with the real API. A pending request gets the
 *   transactions of its chain that name one of its signature ids in `hashes` or `signatures[].id`
 *   (indexed by signature id: 1,000 transactions for 25,000 ids cost a few ms); more than 25,000 ids
 *   in one request are refused with 400 (the documented limit). `addRawPending` serves malformed items.
 * - Broadcasts, off-chain broadcasts and error batches are recorded; broadcasts answer a made-up
 *   txId unless forwarded to a real node with `forwardBroadcasts`.
 * - Nonce, fee and node JSON-RPC answer from settable state, with defaults good enough for EVM signing.
 *   The fee endpoint answers only for ETH, BTC, LTC and DOGE, 400 for any other chain, as the API.
 * - The node gateway's REST form (`GET|POST /v3/blockchain/node/{target}/{apiKey}/{path}`, e.g. Cardano
 *   Rosetta) and MultiversX at `/v3/egld/node/{apiKey}/{path}` answer through handlers set per target
 *   with `onNode`; 404 without one. VeChain is not served (Tatum's SDK uses VeChain's public nodes).
 * - Paths per chain come from tatum-api-paths.ts (the API's table), never from the KMS's code.
 * - FLOW helpers of Tatum's SDK (Tatum proposes and pays): GET /v3/flow/proposal/{isPayer} names the key
 *   set with `setFlowKeys`, POST /v3/flow/sign signs sha3_256(data) with it; a FLOW broadcast with a
 *   numeric `proposalKey` and no signatureId releases that key (txData may be '').
 * - Faults are scripted per route: `failNext('pending', '500', 2)`, `failNext('broadcast', 'close')`,
 *   `failNext(/\/bitcoin\//, { status: 403, body: {...} })`, and `setLatency(route, ms)`.
 *
 * Every request is logged in `requests` (method, path, headers, parsed body); the node RPC path holds
 * the API key, as in the real API.
 */
/** A pending transaction as the API serves it (what the KMS keeps as `received` is this very object). */
export type PendingItem = Omit<PendingTransaction, 'received'>;

export class FakeTatumApi {
  /** Requests refused with 429 by setRateLimit. */
  rateLimited = 0;
  /** Every request, in arrival order (faulted ones included). */
  readonly requests: RecordedRequest[] = [];
  readonly broadcasts: RecordedBroadcast[] = [];
  readonly offchainBroadcasts: RecordedOffchainBroadcast[] = [];
  /** One array per POST /v3/tatum/kms/batch. */
  readonly errorBatches: PendingTxError[][] = [];
  /** PUT /v3/kms/{id}/{txId} calls. */
  readonly completions: Array<{ id: string; txId: string; at: number }> = [];
  /** POST /v3/flow/sign calls that were answered with a signature. */
  readonly flowSignRequests: Array<{ data: string; isPayer: boolean }> = [];

  private readonly pending = new Map<string, PendingEntry>();
  private readonly bySignatureId = new Map<string, Set<string>>();
  private sequence = 0;
  private readonly nonces = new Map<string, number>();
  private nonceResolver?: NonceResolver;
  private fees: FeeAnswer = { slow: '1000000000', medium: '2000000000', fast: '3000000000' };
  private readonly rpcHandlers = new Map<string, RpcHandler>();
  private readonly nodeHandlers = new Map<string, NodeHandler>();
  private readonly forwarders = new Map<string, BroadcastForwarder>();
  private faults: Array<{ matcher: RouteMatcher; fault: Fault; remaining: number }> = [];
  private latencies: Array<{ matcher: RouteMatcher; ms: number }> = [];
  private latestVersion?: string;
  private rateLimit?: { perSecond: number; second: number; count: number };
  private flowKeys?: FlowKeys;
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private address: AddressInfo;

  private constructor(
    private readonly server: Server,
    private readonly options: FakeTatumApiOptions,
  ) {}

  /** Listens on 127.0.0.1 (port 0 = any free port unless `options.port`). */
  static async start(options: FakeTatumApiOptions = {}): Promise<FakeTatumApi> {
    const server = createServer();
    const api = new FakeTatumApi(server, options);
    server.on('connection', (socket) => {
      api.sockets.add(socket);
      socket.once('close', () => api.sockets.delete(socket));
    });
    server.on('request', (req, res) => {
      api.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent)
          sendError(res, 500, 'internal.error', error instanceof Error ? error.message : String(error));
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
    });
    api.address = server.address() as AddressInfo;
    return api;
  }

  /** Base URL to use as TATUM_API_URL, e.g. http://127.0.0.1:41234 (still known after stop()). */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get port(): number {
    return this.address.port;
  }

  /** Stops listening and destroys every connection, hanging ones included. */
  async stop(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  // --- state ----------------------------------------------------------------------------------------

  /** Parks transactions until broadcast, completed or removed; a transaction with a known id replaces it. */
  addPending(txs: PendingItem | PendingItem[]): void {
    for (const tx of Array.isArray(txs) ? txs : [txs]) {
      const ids = [
        ...(Array.isArray(tx.hashes) ? tx.hashes : []),
        ...(tx.signatures ?? []).map((ref) => ref.id),
      ];
      this.park(tx.id, tx, String(tx.chain), ids);
    }
  }

  /**
   * Parks an arbitrary (typically malformed) item, served to pending requests of `chain` that name
   * one of `signatureIds`. It stays until removePending(its id) or clearPending().
   */
  addRawPending(item: unknown, chain: string, signatureIds: string[]): void {
    const id = (item as { id?: unknown } | null)?.id;
    this.park(typeof id === 'string' && id ? id : `raw:${this.sequence}`, item, chain, signatureIds);
  }

  /**
   * Parks an item given as JSON text, served as is (for items JSON.stringify cannot write, e.g.
   * nested 20,000 levels deep), under `id` until removePending(id) or clearPending().
   */
  addRawPendingJson(id: string, json: string, chain: string, signatureIds: string[]): void {
    this.park(id, undefined, chain, signatureIds, json);
  }

  /** The transactions still pending, in the order they were added. */
  get pendingTransactions(): unknown[] {
    return [...this.pending.values()]
      .sort((a, b) => a.seq - b.seq)
      .map((entry) => (entry.json === undefined ? entry.item : JSON.parse(entry.json)));
  }

  removePending(id: string): boolean {
    const entry = this.pending.get(id);
    if (!entry) return false;
    this.pending.delete(id);
    for (const signatureId of entry.signatureIds) this.bySignatureId.get(signatureId)?.delete(id);
    return true;
  }

  clearPending(): void {
    this.pending.clear();
    this.bySignatureId.clear();
  }

  /** The nonce the API reports for an address (case-insensitive); 0 when unset. */
  setNonce(address: string, nonce: number): void {
    this.nonces.set(address.toLowerCase(), nonce);
  }

  /** Answers nonce requests from elsewhere (e.g. a real node); setNonce values are then ignored. */
  forwardNonces(resolver: NonceResolver | undefined): void {
    this.nonceResolver = resolver;
  }

  /**
   * The answer of GET /v3/blockchain/fee/{chain} (wei), the same for every chain the API serves it
   * for: ETH, BTC, LTC and DOGE. Any other chain gets 400, as from the real API.
   */
  setFee(fee: FeeAnswer): void {
    this.fees = fee;
  }

  /**
   * Handles JSON-RPC calls for a chain (e.g. to forward them to a real node). Return `undefined` to
   * fall back to the defaults; throw JsonRpcFault for an `error` answer. May be async.
   */
  onRpc(chain: string, handler: RpcHandler | undefined): void {
    if (handler) this.rpcHandlers.set(chain.toUpperCase(), handler);
    else this.rpcHandlers.delete(chain.toUpperCase());
  }

  /**
   * Handles the node gateway's REST calls to `target` ('cardano-preprod'..., and 'EGLD' for MultiversX
   * at /v3/egld/node/{apiKey}/..., the path Tatum's SDK uses; VET is not served: the SDK uses public
   * VeChain nodes;
   * case-insensitive). The handler gets the method, the path after the API key with its query string
   * (e.g. `accounts/*?revision=best`) and the parsed JSON body, and returns the JSON answer (may be
   * async); `undefined` answers 404, a throw answers 500 with its message. Calls to a target without a
   * handler answer 404. Each call is recorded in `requests` with route 'node'.
   */
  onNode(target: string, handler: NodeHandler | undefined): void {
    if (handler) this.nodeHandlers.set(target.toUpperCase(), handler);
    else this.nodeHandlers.delete(target.toUpperCase());
  }

  /**
   * Hands the broadcasts of a chain (its path, 'ethereum', or its code, 'ETH') to `forwarder`, which
   * returns the txId (or {txId, failed}); a throw answers 403 with its message, like a node rejection,
   * and a thrown FakeAnswer is answered as it is (e.g. a 502 after the node took the transaction).
   * Off-chain withdrawal broadcasts of that currency go to the same forwarder.
   */
  forwardBroadcasts(chainOrPath: string, forwarder: BroadcastForwarder | undefined): void {
    const path = TATUM_API_PATHS[chainOrPath.toUpperCase()] ?? chainOrPath;
    if (forwarder) this.forwarders.set(path, forwarder);
    else this.forwarders.delete(path);
  }

  /** The proposer and payer accounts behind /v3/flow/proposal and /v3/flow/sign (undefined: 403). */
  setFlowKeys(keys: FlowKeys | undefined): void {
    this.flowKeys = keys;
  }

  /** Sends `x-ttm-kms-latest-version: <header>` on every answer (undefined: stop sending it). */
  announceLatestVersion(header: string | undefined): void {
    this.latestVersion = header;
  }

  /** The next `times` requests that match get `fault` instead of their answer (Infinity: all of them). */
  failNext(matcher: RouteMatcher, fault: Fault, times = 1): void {
    this.faults.push({ matcher, fault, remaining: times });
  }

  /** Delays the answers of matching requests (the latest setting that matches wins; 0 removes none). */
  setLatency(matcher: RouteMatcher, ms: number): void {
    this.latencies.unshift({ matcher, ms });
  }

  /**
   * A plan's rate limit, as Tatum enforces it: at most `perSecond` requests per clock second; beyond
   * that the request is refused before any processing with 429, `Retry-After` (whole seconds until the
   * next second) and Tatum's error JSON. `rateLimited` counts the refusals. `undefined` lifts it.
   */
  setRateLimit(perSecond: number | undefined): void {
    this.rateLimit = perSecond === undefined ? undefined : { perSecond, second: 0, count: 0 };
  }

  /** Removes every scripted fault and latency. */
  /** The key requests must carry from now on (a key revoked or rotated at Tatum): others get 403. */
  setApiKey(apiKey: string | undefined): void {
    this.options.apiKey = apiKey;
  }

  clearFaults(): void {
    this.faults = [];
    this.latencies = [];
  }

  requestsTo(route: FakeRoute): RecordedRequest[] {
    return this.requests.filter((request) => request.route === route);
  }

  // --- serving ----------------------------------------------------------------------------------------

  private park(key: string, item: unknown, chain: string, signatureIds: string[], json?: string): void {
    this.removePending(key);
    this.pending.set(key, { item, json, chain: chain.toUpperCase(), signatureIds, seq: this.sequence++ });
    for (const signatureId of signatureIds) {
      let keys = this.bySignatureId.get(signatureId);
      if (!keys) this.bySignatureId.set(signatureId, (keys = new Set()));
      keys.add(key);
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req).catch(() => undefined);
    if (raw === undefined) return;
    const url = req.url ?? '/';
    const path = url.split('?')[0];
    const [route, params] = matchRoute(req.method ?? 'GET', path);
    const request: RecordedRequest = {
      route,
      method: req.method ?? 'GET',
      path,
      query: url.slice(path.length),
      headers: req.headers,
      body: parseJson(raw),
      remotePort: req.socket.remotePort ?? 0,
      at: Date.now(),
    };
    this.requests.push(request);
    if (this.latestVersion !== undefined) res.setHeader('x-ttm-kms-latest-version', this.latestVersion);

    if (this.rateLimit) {
      const now = Date.now();
      const second = Math.floor(now / 1000);
      if (second !== this.rateLimit.second) Object.assign(this.rateLimit, { second, count: 0 });
      if (++this.rateLimit.count > this.rateLimit.perSecond) {
        this.rateLimited++;
        res.setHeader('retry-after', String(Math.max(1, Math.ceil(((second + 1) * 1000 - now) / 1000))));
        return sendError(
          res,
          429,
          'too.many.requests',
          'Too many requests, the rate limit of the plan is exceeded',
        );
      }
    }
    const latency = this.latencies.find(({ matcher }) => matches(matcher, request))?.ms ?? 0;
    if (latency > 0) await this.sleep(latency);
    const fault = this.takeFault(request);
    if (fault)
      return applyFault(fault, req, res, (r) => sendError(r, 500, 'internal.error', 'Injected fault'));
    if (raw !== '' && request.body === undefined)
      return sendError(res, 400, 'validation.failed', 'The body is not valid JSON');
    if (this.options.apiKey !== undefined && !this.authorized(route, params, req.headers)) {
      return sendError(res, 403, 'subscription.invalid', 'Invalid API key');
    }
    try {
      const answer = await this.answer(route, params, request);
      if (answer.status === 204) res.writeHead(204).end();
      else if (answer.json !== undefined)
        res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.json);
      else sendJson(res, answer.status, answer.body);
    } catch (error) {
      sendError(res, 500, 'internal.error', error instanceof Error ? error.message : String(error));
    }
  }

  private async answer(
    route: FakeRoute | undefined,
    params: string[],
    request: RecordedRequest,
  ): Promise<Answer> {
    const body = (request.body ?? {}) as Record<string, unknown>;
    switch (route) {
      case 'pending':
        return this.answerPending(params[0], body.signatureIds);
      case 'broadcast':
        return this.answerBroadcast(params[0], body);
      case 'offchain-broadcast':
        return this.answerOffchainBroadcast(body);
      case 'error-batch':
        if (!Array.isArray(body.errors))
          return errorAnswer(400, 'validation.failed', 'errors must be an array');
        this.errorBatches.push(body.errors as PendingTxError[]);
        return { status: 204 };
      case 'nonce': {
        const nonce = this.nonceResolver
          ? await this.nonceResolver(params[0], params[1])
          : (this.nonces.get(params[1].toLowerCase()) ?? 0);
        return { status: 200, body: nonce };
      }
      case 'fee':
        if (!FEE_ENDPOINT_CHAINS.includes(params[0]))
          return errorAnswer(
            400,
            'validation.failed',
            `chain must be one of the following values: ${FEE_ENDPOINT_CHAINS.join(', ')}`,
          );
        return { status: 200, body: this.fees };
      case 'flow-proposal': {
        if (params[0] !== 'true' && params[0] !== 'false')
          return errorAnswer(400, 'validation.failed', 'isPayer must be true or false');
        if (!this.flowKeys)
          return errorAnswer(403, 'flow.proposal.unavailable', 'No FLOW proposal key available');
        const key = params[0] === 'true' ? this.flowKeys.payer : this.flowKeys.proposer;
        return { status: 200, body: { address: `0x${key.address.replace(/^0x/, '')}`, keyId: key.keyId } };
      }
      case 'flow-sign':
        return this.answerFlowSign(body);
      case 'rpc':
        return { status: 200, body: await this.answerRpc(params[0], request.body) };
      case 'egld-node':
      case 'node': {
        // Tatum's SDK reaches MultiversX through /v3/egld/node/{apiKey}/...; VeChain through public nodes.
        const target = route === 'egld-node' ? 'EGLD' : params[0].toUpperCase();
        const handler =
          route === 'node' && (target === 'EGLD' || target === 'VET')
            ? undefined
            : this.nodeHandlers.get(target);
        const rest = route === 'egld-node' ? params[1] : params[2];
        const method = request.method as 'GET' | 'POST';
        const answer = await handler?.(method, `${rest}${request.query}`, request.body);
        return answer === undefined
          ? errorAnswer(404, 'not.found', `Cannot ${request.method} ${request.path}`)
          : { status: 200, body: answer };
      }
      case 'kms-get': {
        const entry = this.pending.get(params[0]);
        return entry
          ? { status: 200, body: entry.item }
          : errorAnswer(403, 'kms.transaction.not.found', 'No such pending transaction');
      }
      case 'kms-complete':
        if (!this.removePending(params[0]))
          return errorAnswer(403, 'kms.transaction.not.found', 'No such pending transaction');
        this.completions.push({ id: params[0], txId: params[1], at: Date.now() });
        return { status: 204 };
      case 'kms-delete':
        this.removePending(params[0]);
        return { status: 204 };
      default:
        return errorAnswer(404, 'not.found', `Cannot ${request.method} ${request.path}`);
    }
  }

  private answerPending(chain: string, signatureIds: unknown): Answer {
    if (!Array.isArray(signatureIds) || !signatureIds.every((id) => typeof id === 'string')) {
      return errorAnswer(400, 'validation.failed', 'signatureIds must be an array of strings');
    }
    if (signatureIds.length > MAX_PENDING_IDS_PER_REQUEST) {
      return errorAnswer(
        400,
        'validation.failed',
        `signatureIds must contain at most ${MAX_PENDING_IDS_PER_REQUEST} elements`,
      );
    }
    const keys = new Set<string>();
    for (const id of signatureIds) for (const key of this.bySignatureId.get(id) ?? []) keys.add(key);
    const entries = [...keys]
      .map((key) => this.pending.get(key)!)
      .filter((entry) => entry.chain === chain.toUpperCase())
      .sort((a, b) => a.seq - b.seq);
    const items = entries.map((entry) => entry.json ?? JSON.stringify(entry.item));
    return { status: 200, json: `[${items.join(',')}]` };
  }

  private answerFlowSign(body: Record<string, unknown>): Answer {
    const { data, isPayer } = body;
    if (typeof data !== 'string' || !/^(?:[0-9a-fA-F]{2})+$/.test(data))
      return errorAnswer(400, 'validation.failed', 'data must be a non-empty hex string');
    if (typeof isPayer !== 'boolean')
      return errorAnswer(400, 'validation.failed', 'isPayer must be a boolean');
    if (!this.flowKeys) return errorAnswer(403, 'flow.proposal.unavailable', 'No FLOW key available');
    const key = isPayer ? this.flowKeys.payer : this.flowKeys.proposer;
    this.flowSignRequests.push({ data, isPayer });
    const digest = sha3_256(Buffer.from(data, 'hex'));
    const signature = bytesToHex(
      secp256k1.sign(digest, hexToBytes(key.privateKey.replace(/^0x/, '')), { prehash: false }),
    );
    return { status: 200, body: { signature } };
  }

  private async answerBroadcast(path: string, body: Record<string, unknown>): Promise<Answer> {
    const { txData, signatureId } = body;
    const id = typeof signatureId === 'string' ? signatureId : undefined;
    const proposalKey = typeof body.proposalKey === 'number' ? body.proposalKey : undefined;
    const chain = chainOfPath(path);
    if (proposalKey !== undefined && id === undefined && typeof txData === 'string') {
      // Tatum's SDK releasing a FLOW proposal key: nothing to forward, txData may be ''.
      this.broadcasts.push({ path, chain, txData, proposalKey, txId: txData, at: Date.now() });
      return { status: 200, body: { txId: txData } };
    }
    if (typeof txData !== 'string' || !txData)
      return errorAnswer(400, 'validation.failed', 'txData must be a non-empty string');
    const result = await this.forward(path, txData, id);
    if ('error' in result) return result.error;
    const txId = result.answer.txId;
    this.broadcasts.push({ path, chain, txData, signatureId: id, proposalKey, txId, at: Date.now() });
    if (id) this.removePending(id);
    return { status: 200, body: result.answer };
  }

  private async answerOffchainBroadcast(body: Record<string, unknown>): Promise<Answer> {
    const { currency, txData, withdrawalId, signatureId } = body;
    if (typeof currency !== 'string' || typeof txData !== 'string' || typeof withdrawalId !== 'string') {
      return errorAnswer(400, 'validation.failed', 'currency, txData and withdrawalId must be strings');
    }
    const id = typeof signatureId === 'string' ? signatureId : undefined;
    const result = await this.forward(TATUM_API_PATHS[currency.toUpperCase()] ?? currency, txData, id);
    if ('error' in result) return result.error;
    this.offchainBroadcasts.push({ currency, txData, withdrawalId, signatureId: id, at: Date.now() });
    if (id) this.removePending(id);
    return { status: 200, body: { txId: result.answer.txId, completed: !result.answer.failed } };
  }

  private async forward(
    path: string,
    txData: string,
    signatureId?: string,
  ): Promise<{ answer: { txId: string; failed?: boolean } } | { error: Answer }> {
    const forwarder = this.forwarders.get(path);
    if (!forwarder) return { answer: { txId: fakeTxId(txData) } };
    try {
      const result = await forwarder(txData, { path, signatureId });
      return { answer: typeof result === 'string' ? { txId: result } : result };
    } catch (error) {
      if (error instanceof FakeAnswer) return { error: { status: error.status, body: error.body } };
      return {
        error: errorAnswer(
          403,
          `${path}.broadcast.failed`,
          error instanceof Error ? error.message : String(error),
        ),
      };
    }
  }

  private async answerRpc(chain: string, body: unknown): Promise<unknown> {
    const one = async (call: unknown): Promise<unknown> => {
      const {
        id = null,
        method,
        params = [],
      } = (call ?? {}) as { id?: unknown; method?: unknown; params?: unknown };
      if (typeof method !== 'string')
        return { jsonrpc: '2.0', id, error: { code: -32600, message: 'Invalid request' } };
      try {
        const custom = await this.rpcHandlers.get(chain.toUpperCase())?.(method, params);
        const result = custom !== undefined ? custom : this.defaultRpc(method, params);
        return { jsonrpc: '2.0', id, result };
      } catch (error) {
        const fault =
          error instanceof JsonRpcFault
            ? error
            : new JsonRpcFault(-32603, error instanceof Error ? error.message : String(error));
        return {
          jsonrpc: '2.0',
          id,
          error: {
            code: fault.code,
            message: fault.message,
            ...(fault.data === undefined ? {} : { data: fault.data }),
          },
        };
      }
    };
    return Array.isArray(body) ? Promise.all(body.map(one)) : one(body);
  }

  /** Enough of an EVM (and Solana) node for signing: gas, chain id, nonce, fresh blockhash, send. */
  private defaultRpc(method: string, params: unknown): unknown {
    const args = Array.isArray(params) ? params : [];
    switch (method) {
      case 'eth_chainId':
        return '0x1';
      case 'eth_estimateGas':
        return '0x5208';
      case 'eth_gasPrice':
        return '0x3b9aca00';
      case 'eth_blockNumber':
        return '0x1';
      case 'eth_getTransactionCount':
        return `0x${(this.nonces.get(String(args[0]).toLowerCase()) ?? 0).toString(16)}`;
      case 'eth_sendRawTransaction':
        return fakeTxId(String(args[0]));
      case 'getLatestBlockhash':
        return {
          context: { slot: 1 },
          value: { blockhash: '11111111111111111111111111111111', lastValidBlockHeight: 1000 },
        };
      default:
        throw new JsonRpcFault(-32601, `Method not found: ${method}`);
    }
  }

  private takeFault(request: RecordedRequest): Fault | undefined {
    const rule = this.faults.find(
      (candidate) => candidate.remaining > 0 && matches(candidate.matcher, request),
    );
    if (!rule) return undefined;
    rule.remaining--;
    return rule.fault;
  }

  private authorized(route: FakeRoute | undefined, params: string[], headers: IncomingHttpHeaders): boolean {
    if (route === 'egld-node') return params[0] === this.options.apiKey;
    return route === 'rpc' || route === 'node'
      ? params[1] === this.options.apiKey
      : headers['x-api-key'] === this.options.apiKey;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.add(timer);
    });
  }
}

export interface FakeTatumApiOptions {
  /** Default 0: any free port. */
  port?: number;
  /** When set, requests must carry it (x-api-key, or in the node gateway path: JSON-RPC and REST), else 403. */
  apiKey?: string;
}

export type FakeRoute =
  | 'pending'
  | 'broadcast'
  | 'offchain-broadcast'
  | 'error-batch'
  | 'nonce'
  | 'fee'
  | 'flow-proposal'
  | 'flow-sign'
  | 'rpc'
  | 'node'
  | 'egld-node'
  | 'kms-get'
  | 'kms-complete'
  | 'kms-delete';

/** A route name, a RegExp tested against the path, or a predicate on the recorded request. */
export type RouteMatcher = FakeRoute | RegExp | ((request: RecordedRequest) => boolean);

/**
 * '500': HTTP 500 with a Tatum error body; 'hang': never answers (until stop()); 'close': destroys
 * the connection after reading the request; 'malformed-json': HTTP 200 with `{bad json`; or any
 * answer (a string body is sent as is, anything else as JSON).
 */
export type Fault = HttpFault;

export interface RecordedRequest {
  route?: FakeRoute;
  method: string;
  path: string;
  /** The query string with its '?' (e.g. '?revision=best'), or ''. */
  query: string;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body; undefined when empty or not JSON. */
  body: unknown;
  /** The client's port: equal ports mean a reused (keep-alive) connection. */
  remotePort: number;
  at: number;
}

export interface RecordedBroadcast {
  path: string;
  chain?: string;
  txData: string;
  signatureId?: string;
  /** FLOW: the Tatum proposal key named in the body (without signatureId: a key release, not forwarded). */
  proposalKey?: number;
  /** The txId answered (the real node's, when forwarded). */
  txId: string;
  at: number;
}

/** Tatum's FLOW accounts; privateKey: 64 hex (secp256k1, signatures over SHA3-256). */
export interface FlowKeys {
  proposer: { address: string; keyId: number; privateKey: string };
  payer: { address: string; keyId: number; privateKey: string };
}

export interface RecordedOffchainBroadcast {
  currency: string;
  txData: string;
  withdrawalId: string;
  signatureId?: string;
  at: number;
}

export interface FeeAnswer {
  slow: string | number;
  medium: string | number;
  fast: string | number;
  [field: string]: unknown;
}

export type RpcHandler = (method: string, params: unknown) => unknown;
/** Answers a node gateway REST call (see FakeTatumApi.onNode); `path` carries the query string. */
export type NodeHandler = (method: 'GET' | 'POST', path: string, body: unknown) => unknown;
export type BroadcastForwarder = (
  txData: string,
  context: { path: string; signatureId?: string },
) => string | { txId: string; failed?: boolean } | Promise<string | { txId: string; failed?: boolean }>;
export type NonceResolver = (path: string, address: string) => number | Promise<number>;

/**
 * Thrown by a BroadcastForwarder to answer this status and body instead of the txId: what a gateway
 * in front of the API does when it gives up after the transaction reached the node (e.g. HTTP 502).
 */
export class FakeAnswer extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown = { statusCode: status, errorCode: 'gateway.error', message: 'Bad Gateway' },
  ) {
    super(`HTTP ${status}`);
  }
}

/** Thrown by an RpcHandler to answer a JSON-RPC `error`. */
export class JsonRpcFault extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
  }
}

interface PendingEntry {
  item: unknown;
  /** The item as JSON text, served instead of `item` (addRawPendingJson). */
  json?: string;
  chain: string;
  signatureIds: string[];
  seq: number;
}

/** `json`: a body already written as JSON text, sent as is. */
type Answer = { status: number; body?: unknown; json?: string };

const ROUTES: Array<[FakeRoute, string, RegExp]> = [
  ['pending', 'POST', /^\/v3\/kms\/pending\/([^/]+)$/],
  ['offchain-broadcast', 'POST', /^\/v3\/offchain\/withdrawal\/broadcast$/],
  ['error-batch', 'POST', /^\/v3\/tatum\/kms\/batch$/],
  ['rpc', 'POST', /^\/v3\/blockchain\/node\/([^/]+)\/([^/]+)$/],
  ['node', 'GET', /^\/v3\/blockchain\/node\/([^/]+)\/([^/]+)\/(.+)$/],
  ['node', 'POST', /^\/v3\/blockchain\/node\/([^/]+)\/([^/]+)\/(.+)$/],
  ['fee', 'GET', /^\/v3\/blockchain\/fee\/([^/]+)$/],
  ['egld-node', 'GET', /^\/v3\/egld\/node\/([^/]+)\/(.+)$/],
  ['egld-node', 'POST', /^\/v3\/egld\/node\/([^/]+)\/(.+)$/],
  ['flow-proposal', 'GET', /^\/v3\/flow\/proposal\/([^/]+)$/],
  ['flow-sign', 'POST', /^\/v3\/flow\/sign$/],
  ['broadcast', 'POST', /^\/v3\/([^/]+)\/broadcast$/],
  ['nonce', 'GET', /^\/v3\/([^/]+)\/transaction\/count\/([^/]+)$/],
  ['kms-complete', 'PUT', /^\/v3\/kms\/([^/]+)\/([^/]+)$/],
  ['kms-get', 'GET', /^\/v3\/kms\/([^/]+)$/],
  ['kms-delete', 'DELETE', /^\/v3\/kms\/([^/]+)$/],
];

function matchRoute(method: string, path: string): [FakeRoute | undefined, string[]] {
  for (const [route, routeMethod, pattern] of ROUTES) {
    const match = routeMethod === method ? pattern.exec(path) : null;
    if (match) return [route, match.slice(1).map(decodeSegment)];
  }
  return [undefined, []];
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function matches(matcher: RouteMatcher, request: RecordedRequest): boolean {
  if (typeof matcher === 'string') return matcher === request.route;
  if (matcher instanceof RegExp) return matcher.test(request.path);
  return matcher(request);
}

function errorAnswer(status: number, errorCode: string, message: string): Answer {
  return { status, body: { statusCode: status, errorCode, message } };
}

function sendError(res: ServerResponse, status: number, errorCode: string, message: string): void {
  sendJson(res, status, errorAnswer(status, errorCode, message).body);
}

/** A deterministic stand-in txId: 0x-prefixed for 0x-prefixed txData (EVM), plain hex otherwise. */
function fakeTxId(txData: string): string {
  const hash = createHash('sha256').update(txData).digest('hex');
  return txData.startsWith('0x') ? `0x${hash}` : hash;
}
