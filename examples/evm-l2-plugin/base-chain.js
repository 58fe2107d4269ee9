'use strict';
/**
 * Base (Coinbase's OP Stack L2) as an EvmChain row of @kms/chains: everything that differs from ETH.
 *
 * - Derivation: Tatum derives Base wallets at the Ethereum path m/44'/60'/0'/0 (its API reference,
 *   "Generate Base wallet"); testnet wallets at m/44'/1'/0'/0, the path Tatum uses for every EVM testnet.
 * - Chain ids: 8453 (Base mainnet), 84532 (Base Sepolia).
 * - Tatum API: `POST /v3/base/broadcast` and `GET /v3/base/transaction/count/{address}` (Tatum's
 *   BaseService: baseBroadcast, baseGetTransactionCount); tatum-kms 8.0.1 does not route Base
 *   withdrawals to the off-chain endpoint.
 * - Gas price: from the node's eth_gasPrice (Tatum's fee endpoint serves ETH, BTC, LTC and DOGE only),
 *   through Tatum's node gateway or TATUM_KMS_NODE_URL_BASE.
 * - Fee cap: 0.01 ETH per transaction when the gas price or limit comes from the network (a Base
 *   transfer costs well under 0.0001 ETH); TATUM_KMS_MAX_FEE_BASE overrides it.
 */
const BASE_CHAIN = Object.freeze({
  chain: 'BASE',
  derivationPath: Object.freeze({ mainnet: "m/44'/60'/0'/0", testnet: "m/44'/1'/0'/0" }),
  chainId: Object.freeze({ mainnet: 8453, testnet: 84532 }),
  addressPrefix: '0x',
  feeCap: Object.freeze({ default: '0.01', unit: 'ETH' }),
  tatum: Object.freeze({ broadcastPath: 'base', noncePath: 'base', offchainWithdrawals: false }),
  gasPriceSource: 'node',
});

module.exports = { BASE_CHAIN };
