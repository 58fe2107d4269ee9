/**
 * Chain code -> path segment of `POST /v3/{path}/broadcast` and `GET /v3/{path}/transaction/count/{address}`
 * (PROTOCOL.md §3). TatumClient accepts extra rows for plugin chains.
 */
export const BROADCAST_PATHS: Readonly<Record<string, string>> = Object.freeze({
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
});
