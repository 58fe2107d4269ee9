import { KmsError } from '@kms/common';
import type { SigningNetwork } from '../chain-signer.port';

/** An answer of a Flow access node's REST API, with its HTTP status (404 and 400 carry meaning). */
export interface FlowAccessAnswer {
  status: number;
  body: unknown;
}

/**
 * What the FLOW signer needs beyond SigningNetwork for Tatum's FLOW format, which the daemon's
 * network provides (TatumSigningNetwork): Tatum's proposer and payer keys, and a Flow access node.
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

export class FlowNetworkUnavailableError extends KmsError {
  constructor() {
    super(
      'FLOW_NETWORK_UNAVAILABLE',
      "Tatum's FLOW transactions are proposed and paid by Tatum and sent to a Flow access node, which only the daemon can reach",
    );
  }
}

/** The FLOW calls of `network`, or FlowNetworkUnavailableError when it has none. */
export function flowNetworkOf(network: SigningNetwork): FlowSigningNetwork {
  const candidate = network as Partial<FlowSigningNetwork>;
  const methods = ['flowTatumKey', 'flowTatumSign', 'flowReleaseProposalKey', 'flowAccess'] as const;
  if (methods.some((name) => typeof candidate[name] !== 'function')) throw new FlowNetworkUnavailableError();
  return candidate as FlowSigningNetwork;
}
