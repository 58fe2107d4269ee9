import type { FlowSigningNetwork, SigningNetwork } from '@kms/chains';
import type { TatumClient } from '@kms/tatum';
import { NodeRpcClient } from './node-rpc.client';

type EgldUnsigned = Record<string, unknown>;

/** Flow's public access nodes (REST API), used when TATUM_KMS_NODE_URL_FLOW is not set. */
export const FLOW_PUBLIC_ACCESS_NODES = {
  mainnet: 'https://rest-mainnet.onflow.org',
  testnet: 'https://rest-testnet.onflow.org',
} as const;

/**
 * The SigningNetwork of the daemon: nonces and gas prices through the Tatum API; node calls through
 * Tatum's node gateway, or straight to the chain's node when TATUM_KMS_NODE_URL_<CHAIN> is set
 * (for ADA the target is TATUM_KMS_NODE_URL_CARDANO_MAINNET / _CARDANO_PREPROD, a Rosetta server).
 * It also answers the chain-specific calls some signers look for (VET's REST node, EGLD's network
 * config and cost, Cardano Rosetta), mapped onto the gateway's REST form.
 */
export class TatumSigningNetwork implements SigningNetwork, FlowSigningNetwork {
  private readonly nodes = new Map<string, NodeRpcClient>();
  private flowMainnet?: NodeRpcClient;
  private flowTestnet?: NodeRpcClient;

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
    if (chain.toUpperCase() === 'VET') return this.vet(method, params);
    const node = this.nodes.get(chain.toUpperCase());
    return node ? node.call(method, params) : this.tatum.rpc(chain, method, params);
  }

  /** A REST call to a node: the operator's node when configured, else Tatum's node gateway. */
  node(target: string, method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> {
    const node = this.nodes.get(target.toUpperCase().replace(/-/g, '_'));
    return node ? node.rest(method, path, body) : this.tatum.nodeRequest(target, method, path, body);
  }

  /** Tatum's FLOW proposal and payer keys (FLOW signer, Tatum's format). */
  flowTatumKey(isPayer: boolean): Promise<unknown> {
    return this.tatum.flowKey(isPayer);
  }

  flowTatumSign(data: string, isPayer: boolean): Promise<unknown> {
    return this.tatum.flowSign(data, isPayer);
  }

  flowReleaseProposalKey(txId: string, keyId: number): Promise<void> {
    return this.tatum.flowReleaseProposalKey(txId, keyId);
  }

  /**
   * A Flow access node (REST): TATUM_KMS_NODE_URL_FLOW when set (any network: the operator points
   * it at the right one), else Flow's public access node of the network, as tatum-kms used.
   */
  flowAccess(
    testnet: boolean,
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: unknown }> {
    const configured = this.nodes.get('FLOW');
    const node =
      configured ??
      (testnet
        ? (this.flowTestnet ??= new NodeRpcClient('FLOW', FLOW_PUBLIC_ACCESS_NODES.testnet))
        : (this.flowMainnet ??= new NodeRpcClient('FLOW', FLOW_PUBLIC_ACCESS_NODES.mainnet)));
    return node.request(method, path, body);
  }

  /** Cardano Rosetta construction calls (ADA signer). */
  adaRosetta(node: string, path: string, body: object): Promise<unknown> {
    return this.node(node, 'POST', path, body);
  }

  /** MultiversX `GET /network/config` (EGLD signer). */
  async egldNetworkConfig(): Promise<{
    chainId: unknown;
    minGasPrice: unknown;
    minTransactionVersion: unknown;
  }> {
    const answer = (await this.node('EGLD', 'GET', 'network/config')) as {
      data?: { config?: Record<string, unknown> };
    };
    const config = answer?.data?.config ?? {};
    return {
      chainId: config.erd_chain_id,
      minGasPrice: config.erd_min_gas_price,
      minTransactionVersion: config.erd_min_transaction_version,
    };
  }

  /** MultiversX `POST /transaction/cost` (EGLD signer, when the gas limit is missing). */
  async egldTransactionCost(transaction: EgldUnsigned): Promise<number> {
    const answer = (await this.node('EGLD', 'POST', 'transaction/cost', transaction)) as {
      data?: { txGasUnits?: number };
    };
    return answer?.data?.txGasUnits as number;
  }

  /** VeChain nodes speak REST: the VET signer's named calls (VET_NODE_CALLS) mapped onto it. */
  private vet(method: string, params: unknown[]): Promise<unknown> {
    switch (method) {
      case 'getBestBlock':
        return this.node('VET', 'GET', 'blocks/best');
      case 'inspectClauses':
        return this.node('VET', 'POST', 'accounts/*?revision=best', params[0]);
      default:
        return Promise.reject(new Error(`unknown VET node call ${method}`));
    }
  }
}
