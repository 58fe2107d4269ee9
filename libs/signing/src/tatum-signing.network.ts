import type {
  ChainNetwork,
  NodeRestAnswer,
  NodeRestRequest,
  NodeRpcRequest,
  TatumCallOptions,
} from '@kms/chains';
import type { TatumClient } from '@kms/tatum';
import { NodeRpcClient } from './node-rpc.client';

/** A node name: a chain code or a gateway target such as 'cardano-preprod'. */
const NODE_NAME = /^[A-Za-z0-9_-]{1,40}$/;

/**
 * The daemon's ChainNetwork, the one implementation of the chains' network port. It knows no chain:
 * Tatum API calls go through TatumClient; a node call goes to the operator's node when
 * TATUM_KMS_NODE_URL_<NODE> is set ('-' read as '_', e.g. TATUM_KMS_NODE_URL_CARDANO_PREPROD), else to
 * the request's fallback: a public node URL, or a Tatum API base path (default: Tatum's node gateway
 * `/v3/blockchain/node/{node}/{apiKey}`).
 */
export class TatumSigningNetwork implements ChainNetwork {
  private readonly nodes = new Map<string, NodeRpcClient>();
  /** Clients of public nodes named by fallbacks, by URL. */
  private readonly publicNodes = new Map<string, NodeRpcClient>();

  constructor(
    private readonly client: TatumClient,
    nodeUrls: Readonly<Record<string, string>> = {},
  ) {
    for (const [node, url] of Object.entries(nodeUrls)) this.nodes.set(node, new NodeRpcClient(node, url));
  }

  tatum(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    options: TatumCallOptions = {},
  ): Promise<unknown> {
    return this.client.request(method, path, body, { once: options.once });
  }

  node(node: string, request: NodeRpcRequest): Promise<unknown>;
  node(node: string, request: NodeRestRequest): Promise<NodeRestAnswer>;
  async node(node: string, request: NodeRpcRequest | NodeRestRequest): Promise<unknown> {
    if (!NODE_NAME.test(node)) throw new Error(`invalid node name ${JSON.stringify(node.slice(0, 40))}`);
    const name = node.toUpperCase().replace(/-/g, '_');
    const fallback = request.fallback ?? { tatumPath: `/v3/blockchain/node/${node}/{apiKey}` };
    const direct =
      this.nodes.get(name) ?? ('url' in fallback ? this.publicNode(name, fallback.url) : undefined);
    const once = request.once === true;
    if ('rpc' in request) {
      const params = request.params ?? [];
      if (direct) return direct.call(request.rpc, params);
      return this.client.nodeRpc((fallback as { tatumPath: string }).tatumPath, request.rpc, params, {
        once,
        node: name,
      });
    }
    if (direct) return direct.request(request.method, request.path, request.body);
    const body = await this.client.nodeRest(
      (fallback as { tatumPath: string }).tatumPath,
      request.method,
      request.path,
      request.body,
      { once },
    );
    return { status: 200, body } satisfies NodeRestAnswer;
  }

  private publicNode(name: string, url: string): NodeRpcClient {
    let client = this.publicNodes.get(url);
    if (!client) this.publicNodes.set(url, (client = new NodeRpcClient(name, url)));
    return client;
  }
}
