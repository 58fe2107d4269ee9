import { LoopbackServer, type LoopbackAnswer, type LoopbackRequest } from './loopback-server';
import { SandboxNode } from './sandbox-node';

/** A pending transaction as the sandbox parks it: any JSON object, served as it is. */
export type PendingItem = Record<string, unknown> & { id: string };

/** A broadcast the sandbox API took: nothing is forwarded anywhere. */
export interface RecordedBroadcast {
  chain: string;
  signatureId?: string;
  txData: string;
  txId: string;
}

/** One entry of an error batch (POST /v3/tatum/kms/batch). */
export interface RecordedError {
  signatureId: string;
  error: string;
}

export interface SandboxApiOptions {
  /** The key requests must carry (x-api-key, or in the node gateway's path), else 403 as at Tatum. */
  apiKey: string;
  /** The id a network would give this signed txData (its hash); the broadcast answers it. */
  txIdOf(chain: string, txData: string): Promise<string>;
  /** The chain whose signer declares `POST /v3/{path}/broadcast` (from the chain registry). */
  chainOfBroadcastPath(path: string): string | undefined;
}

/**
 * The sandbox's embedded Tatum-compatible API on 127.0.0.1: the routes the daemon uses, answered the
 * way the Tatum API answers them, and nothing forwarded to any network.
 * - `POST /v3/kms/pending/{chain}`: the parked items of the chain that name one of the signatureIds
 *   (in `hashes` or `signatures[].id`); an item stays until its broadcast, as at Tatum.
 * - `POST /v3/{path}/broadcast`: recorded, answered with the txId the network would give.
 * - `POST /v3/tatum/kms/batch`: the error reports, recorded.
 * - `GET /v3/{path}/transaction/count/{address}`, `GET /v3/blockchain/fee/{chain}`, `GET /v3/kms/{id}`.
 * - `POST /v3/blockchain/node/{chain}/{apiKey}`: JSON-RPC of the node gateway (SandboxNode).
 */
export class SandboxApi {
  readonly broadcasts: RecordedBroadcast[] = [];
  readonly errorReports: RecordedError[] = [];
  readonly node = new SandboxNode();
  private readonly pending = new Map<string, { chain: string; item: PendingItem; ids: string[] }>();

  private constructor(
    private readonly server: LoopbackServer,
    private readonly options: SandboxApiOptions,
  ) {}

  static async start(options: SandboxApiOptions): Promise<SandboxApi> {
    const holder: { api?: SandboxApi } = {};
    const server = await LoopbackServer.start((request) => holder.api!.answer(request));
    holder.api = new SandboxApi(server, options);
    return holder.api;
  }

  /** Base URL, for TATUM_API_URL. */
  get url(): string {
    return this.server.url;
  }

  /** Parks an item for `chain`, served to pending requests naming one of `signatureIds`. */
  park(chain: string, item: PendingItem, signatureIds: readonly string[]): void {
    this.pending.set(item.id, { chain: chain.toUpperCase(), item, ids: [...signatureIds] });
  }

  /** Ids of the items still pending. */
  pendingIds(): string[] {
    return [...this.pending.keys()];
  }

  close(): Promise<void> {
    return this.server.close();
  }

  private async answer(request: LoopbackRequest): Promise<LoopbackAnswer> {
    const { method, path } = request;
    const rpc = /^\/v3\/blockchain\/node\/([^/]+)\/([^/]+)$/.exec(path);
    if (rpc && method === 'POST') {
      if (decodeURIComponent(rpc[2]) !== this.options.apiKey) return forbidden();
      return { status: 200, body: this.node.answer(rpc[1].toUpperCase(), request.body) };
    }
    if (request.headers['x-api-key'] !== this.options.apiKey) return forbidden();
    const body = (request.body ?? {}) as Record<string, unknown>;
    let match: RegExpExecArray | null;
    if (method === 'POST' && (match = /^\/v3\/kms\/pending\/([^/]+)$/.exec(path)))
      return this.pendingOf(match[1].toUpperCase(), body.signatureIds);
    if (method === 'POST' && path === '/v3/tatum/kms/batch') {
      if (!Array.isArray(body.errors)) return failure(400, 'validation.failed', 'errors must be an array');
      this.errorReports.push(...(body.errors as RecordedError[]));
      return { status: 204 };
    }
    if (method === 'POST' && (match = /^\/v3\/([^/]+)\/broadcast$/.exec(path)))
      return this.broadcast(match[1], body);
    if (method === 'GET' && /^\/v3\/[^/]+\/transaction\/count\/[^/]+$/.test(path))
      return { status: 200, body: this.node.nonce };
    if (method === 'GET' && /^\/v3\/blockchain\/fee\/[^/]+$/.test(path))
      return { status: 200, body: this.node.fees };
    if (method === 'GET' && (match = /^\/v3\/kms\/([^/]+)$/.exec(path))) {
      const entry = this.pending.get(decodeURIComponent(match[1]));
      return entry
        ? { status: 200, body: entry.item }
        : failure(403, 'kms.transaction.not.found', 'No such pending transaction');
    }
    return failure(404, 'not.found', `Cannot ${method} ${path}`);
  }

  private pendingOf(chain: string, signatureIds: unknown): LoopbackAnswer {
    if (!Array.isArray(signatureIds) || !signatureIds.every((id) => typeof id === 'string'))
      return failure(400, 'validation.failed', 'signatureIds must be an array of strings');
    const asked = new Set(signatureIds);
    const items = [...this.pending.values()]
      .filter((entry) => entry.chain === chain && entry.ids.some((id) => asked.has(id)))
      .map((entry) => entry.item);
    return { status: 200, body: items };
  }

  private async broadcast(path: string, body: Record<string, unknown>): Promise<LoopbackAnswer> {
    const chain = this.options.chainOfBroadcastPath(path);
    if (!chain) return failure(404, 'not.found', `Cannot POST /v3/${path}/broadcast`);
    const { txData, signatureId } = body;
    if (typeof txData !== 'string' || txData === '')
      return failure(400, 'validation.failed', 'txData must be a non-empty string');
    const id = typeof signatureId === 'string' ? signatureId : undefined;
    let txId: string;
    try {
      txId = await this.options.txIdOf(chain, txData);
    } catch {
      return failure(403, `${path}.broadcast.failed`, 'txData is not a valid signed transaction');
    }
    this.broadcasts.push({ chain, signatureId: id, txData, txId });
    if (id) this.pending.delete(id);
    return { status: 200, body: { txId, failed: false } };
  }
}

const failure = (status: number, errorCode: string, message: string): LoopbackAnswer => ({
  status,
  body: { statusCode: status, errorCode, message },
});

const forbidden = () => failure(403, 'api.key.invalid', 'The API key is not valid');
