import type { ChainNetwork } from '../chain-network.port';

/** An answer of a Flow access node's REST API, with its HTTP status (404 and 400 carry meaning). */
export interface FlowAccessAnswer {
  status: number;
  body: unknown;
}

/**
 * What the FLOW signer needs for Tatum's FLOW format: Tatum's proposer and payer keys, and a Flow
 * access node. flowNetworkOf builds it on the generic ChainNetwork.
 */
export interface FlowSigningNetwork {
  /** `GET /v3/flow/proposal/{isPayer}`: a Tatum-held key `{address, keyId}` to propose or pay with. */
  flowTatumKey(isPayer: boolean): Promise<unknown>;
  /** `POST /v3/flow/sign {data, isPayer}`: Tatum's signature `{signature}` of a hex message. */
  flowTatumSign(data: string, isPayer: boolean): Promise<unknown>;
  /** `POST /v3/flow/broadcast {txData, proposalKey}`: gives a proposal key back to Tatum. */
  flowReleaseProposalKey(txId: string, keyId: number): Promise<void>;
  /**
   * A call to a Flow access node's REST API (`/v1/...`): TATUM_KMS_NODE_URL_FLOW when set, else
   * Flow's public access node of the network. Rejects only when no answer came.
   */
  flowAccess(
    testnet: boolean,
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
  ): Promise<FlowAccessAnswer>;
}

/** Flow's public access nodes (REST API), which tatum-kms used; TATUM_KMS_NODE_URL_FLOW replaces them. */
export const FLOW_PUBLIC_ACCESS_NODES = {
  mainnet: 'https://rest-mainnet.onflow.org',
  testnet: 'https://rest-testnet.onflow.org',
} as const;

/** The FLOW calls on the generic network: Tatum's FLOW endpoints and a Flow access node. */
export function flowNetworkOf(network: ChainNetwork): FlowSigningNetwork {
  return {
    // Each answer lends a proposal key: asked again only when the request surely never left.
    flowTatumKey: (isPayer) =>
      network.tatum('GET', `/v3/flow/proposal/${isPayer}`, undefined, { once: true }),
    flowTatumSign: (data, isPayer) => network.tatum('POST', '/v3/flow/sign', { data, isPayer }),
    flowReleaseProposalKey: async (txId, keyId) => {
      await network.tatum('POST', '/v3/flow/broadcast', { txData: txId, proposalKey: keyId });
    },
    flowAccess: (testnet, method, path, body) =>
      network.node('FLOW', {
        method,
        path,
        body,
        once: method === 'POST',
        fallback: { url: testnet ? FLOW_PUBLIC_ACCESS_NODES.testnet : FLOW_PUBLIC_ACCESS_NODES.mainnet },
      }),
  };
}
