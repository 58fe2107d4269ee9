import type { ChainNetwork } from '../chain-network.port';
import type { FeeCap } from '../fee-cap';

/**
 * The VeChain Thor networks the KMS signs for. The chain tag is the last byte of the genesis block
 * id (mainnet 0x...1b4a, testnet 0x...bb127), so it needs no network call.
 */
export const VET_CHAIN_TAG = { mainnet: 0x4a, testnet: 0x27 } as const;

/** Tatum derives VET wallets at coin type 818 on mainnet and at the shared testnet path. */
export const VET_DERIVATION_PATH = { mainnet: "m/44'/818'/0'/0", testnet: "m/44'/1'/0'/0" } as const;

/**
 * Defaults of a Tatum VET transaction: thorify (the web3 adapter behind Tatum's SDK
 * signVetKMSTransaction) signs with expiration 720 blocks and gasPriceCoef 0, and adds 15,000 gas
 * to the VM gas of its estimate.
 */
export const VET_DEFAULTS = { expiration: 720, gasPriceCoef: 0, estimateMargin: 15_000 } as const;

/**
 * VeChain's base gas price (legacy transactions): 10^13 wei of VTHO per gas. A transaction pays
 * gas x base price x (1 + gasPriceCoef / 255) in VTHO.
 */
export const VET_BASE_GAS_PRICE = 10n ** 13n;

/**
 * Default cap on the VTHO fee when the gas comes from the node's estimate: a plain transfer costs
 * 0.21 VTHO, a 2,500,000-gas call at the highest gasPriceCoef 50 VTHO.
 */
export const VET_FEE_CAP: FeeCap = { default: '50', unit: 'VTHO' };

/**
 * VeChain's public Thor nodes, which Tatum's SDK signs against (tatum-js v1 src/constants.ts
 * VET_URL / TEST_VET_URL, used by signVetKMSTransaction): not a Tatum endpoint.
 * TATUM_KMS_NODE_URL_VET replaces them.
 */
export const VET_PUBLIC_NODES = {
  mainnet: 'https://sync-mainnet.vechain.org',
  testnet: 'https://sync-testnet.vechain.org',
} as const;

/** A Thor node's REST calls of the VET signer; answers are returned unchecked (the signer checks them). */
export class VetNetwork {
  constructor(
    private readonly network: ChainNetwork,
    private readonly testnet: boolean,
  ) {}

  /** `GET /blocks/best` -> the best block, `{ id: '0x' + 64 hex, number, ... }`. */
  bestBlock(): Promise<unknown> {
    return this.call('GET', 'blocks/best');
  }

  /**
   * `POST /accounts/*?revision=best` with `{ clauses: [{to, value, data}], caller }` -> one result per
   * clause: `[{ gasUsed: number, reverted: boolean, vmError: string, ... }]`.
   */
  inspectClauses(body: { clauses: unknown[]; caller: string }): Promise<unknown> {
    return this.call('POST', 'accounts/*?revision=best', body);
  }

  private async call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> {
    const answer = await this.network.node('VET', {
      method,
      path,
      body,
      fallback: { url: this.testnet ? VET_PUBLIC_NODES.testnet : VET_PUBLIC_NODES.mainnet },
    });
    return answer.status >= 200 && answer.status < 300 ? answer.body : undefined;
  }
}
