import type { ChainNetwork, NodeRestRequest, NodeRpcRequest } from '@kms/chains';
import { chainOfPath } from './tatum-api-paths';

/**
 * Handlers of a ChainNetwork fake. Each gets what a chain asked; a missing handler rejects the call.
 * `tatum` gets `{apiKey}` in paths as the chain wrote it.
 */
export interface ChainNetworkScript {
  tatum?(method: 'GET' | 'POST', path: string, body: unknown): unknown;
  rpc?(node: string, method: string, params: unknown): unknown;
  rest?(node: string, method: 'GET' | 'POST', path: string, body: unknown): unknown;
}

export interface RecordedNetworkCall {
  kind: 'tatum' | 'rpc' | 'rest';
  node?: string;
  method: string;
  path?: string;
  body?: unknown;
  fallback?: unknown;
}

/** A ChainNetwork answered by handlers (unit specs); every call is recorded in `calls`. */
export function scriptedChainNetwork(
  script: ChainNetworkScript,
): ChainNetwork & { calls: RecordedNetworkCall[] } {
  const calls: RecordedNetworkCall[] = [];
  const node = async (name: string, request: NodeRpcRequest | NodeRestRequest): Promise<unknown> => {
    if ('rpc' in request) {
      calls.push({
        kind: 'rpc',
        node: name,
        method: request.rpc,
        body: request.params,
        fallback: request.fallback,
      });
      if (!script.rpc) throw new Error(`unexpected ${name} node call ${request.rpc}`);
      return script.rpc(name, request.rpc, request.params ?? []);
    }
    calls.push({
      kind: 'rest',
      node: name,
      method: request.method,
      path: request.path,
      body: request.body,
      fallback: request.fallback,
    });
    if (!script.rest) throw new Error(`unexpected ${name} node call ${request.method} ${request.path}`);
    return { status: 200, body: await script.rest(name, request.method, request.path, request.body) };
  };
  return {
    calls,
    async tatum(method, path, body) {
      calls.push({ kind: 'tatum', method, path, body });
      if (!script.tatum) throw new Error(`unexpected Tatum API call ${method} ${path}`);
      return script.tatum(method, path, body);
    },
    node: node as ChainNetwork['node'],
  };
}

/**
 * The EVM calls in the shape older specs script them: `nonce(chain, address)` answers
 * `GET /v3/{path}/transaction/count/{address}`, `gasPrice(chain)` the fee endpoint's `medium` and the
 * node's `eth_gasPrice`, `rpc(chain, method, params)` every other node call.
 */
export function evmScript(handlers: {
  nonce?(chain: string, address: string): unknown;
  gasPrice?(chain: string): unknown;
  rpc?(chain: string, method: string, params: unknown): unknown;
}): ChainNetworkScript {
  const fail = (what: string) => {
    throw new Error(`unexpected ${what}`);
  };
  return {
    tatum(method, path) {
      const nonce = /^\/v3\/([^/]+)\/transaction\/count\/([^/]+)$/.exec(path);
      if (method === 'GET' && nonce) {
        const chain = chainOfPath(nonce[1]) ?? nonce[1];
        return handlers.nonce ? handlers.nonce(chain, decodeURIComponent(nonce[2])) : fail('nonce request');
      }
      const fee = /^\/v3\/blockchain\/fee\/([^/]+)$/.exec(path);
      if (method === 'GET' && fee) {
        if (!handlers.gasPrice) return fail('fee request');
        const price = handlers.gasPrice(fee[1]);
        return Promise.resolve(price).then((medium) => ({ slow: medium, medium, fast: medium }));
      }
      return fail(`${method} ${path}`);
    },
    rpc(node, method, params) {
      if (method === 'eth_gasPrice' && handlers.gasPrice) return handlers.gasPrice(node);
      return handlers.rpc ? handlers.rpc(node, method, params) : fail(`${node} ${method}`);
    },
  };
}
