import type { SigningNetwork } from '@kms/chains';
import type { TatumClient } from '@kms/tatum';
import { NodeRpcClient } from './node-rpc.client';

/**
 * The SigningNetwork of the daemon: nonces and gas prices through the Tatum API; node calls through
 * Tatum's node gateway, or straight to the chain's node when TATUM_KMS_NODE_URL_<CHAIN> is set.
 */
export class TatumSigningNetwork implements SigningNetwork {
  private readonly nodes = new Map<string, NodeRpcClient>();

  constructor(
    private readonly tatum: TatumClient,
    nodeUrls: Readonly<Record<string, string>> = {},
  ) {
    for (const [chain, url] of Object.entries(nodeUrls)) this.nodes.set(chain, new NodeRpcClient(chain, url));
  }

  nonce(chain: string, address: string): Promise<number> {
    return this.tatum.nonce(chain, address);
  }

  /** Tatum's `fast` estimate, as tatum-kms's SDK used for transactions that came without a gas price. */
  async gasPrice(chain: string): Promise<string> {
    return (await this.tatum.fee(chain)).fast;
  }

  rpc(chain: string, method: string, params: unknown[]): Promise<unknown> {
    const node = this.nodes.get(chain.toUpperCase());
    return node ? node.call(method, params) : this.tatum.rpc(chain, method, params);
  }
}
