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
 * What the VET signer asks of SigningNetwork.rpc. VeChain nodes have a REST API, not JSON-RPC, so
 * these are named calls that the network implementation maps onto a Thor node (Tatum's gateway or a
 * configured node URL). Each must resolve to the node's JSON answer, unchanged.
 */
export const VET_NODE_CALLS = {
  /** `GET /blocks/best` -> the best block, `{ id: '0x' + 64 hex, number, ... }`. Params: []. */
  bestBlock: 'getBestBlock',
  /**
   * `POST /accounts/*?revision=best` with body `params[0]` =
   * `{ clauses: [{ to: string | null, value: '0x...', data: '0x...' }], caller: '0x...' }`
   * -> one result per clause: `[{ gasUsed: number, reverted: boolean, vmError: string, ... }]`.
   */
  inspectClauses: 'inspectClauses',
} as const;
