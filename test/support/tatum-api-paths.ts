/**
 * The Tatum API's own table, as the fake API serves it: chain code -> path segment of
 * `POST /v3/{path}/broadcast` and `GET /v3/{path}/transaction/count/{address}` (the API reference; the
 * SDKs' `*Broadcast` helpers). Kept apart from product code on purpose: the KMS's chains declare their
 * paths themselves, and a fake built from their declarations could never catch a wrong one.
 */
export const TATUM_API_PATHS: Readonly<Record<string, string>> = Object.freeze({
  BTC: 'bitcoin',
  LTC: 'litecoin',
  DOGE: 'dogecoin',
  BCH: 'bcash',
  ETH: 'ethereum',
  BSC: 'bsc',
  MATIC: 'polygon',
  CELO: 'celo',
  KLAY: 'klaytn',
  ONE: 'one',
  XDC: 'xdc',
  VET: 'vet',
  TRON: 'tron',
  SOL: 'solana',
  XRP: 'xrp',
  XLM: 'xlm',
  ALGO: 'algorand',
  EGLD: 'egld',
  FLOW: 'flow',
  ADA: 'ada',
  KCS: 'kcs',
  // Not a chain of this KMS: the example plugin's (examples/evm-l2-plugin); Tatum's BaseService
  // (baseBroadcast, baseGetTransactionCount) serves /v3/base/broadcast and /v3/base/transaction/count.
  BASE: 'base',
});

/** `GET /v3/blockchain/fee/{chain}`: the API serves it for these chains only; others get 4xx. */
export const FEE_ENDPOINT_CHAINS: readonly string[] = ['ETH', 'BTC', 'LTC', 'DOGE'];

/** The chain code of a path segment, or undefined. */
export function chainOfPath(path: string): string | undefined {
  return Object.keys(TATUM_API_PATHS).find((chain) => TATUM_API_PATHS[chain] === path);
}
