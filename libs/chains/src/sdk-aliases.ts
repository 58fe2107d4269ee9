/**
 * Chain names of Tatum's SDK (`Currency` of @tatumio/tatum 1.37.56, the version tatum-kms 8.0.1
 * locks) that are not chains of their own but tokens or layer-2 networks whose wallets the SDK makes
 * and derives as another chain: `generateWallet`, `generateAddressFromXPub` and
 * `generatePrivateKeyFromMnemonic` route each of them to the base chain named here. tatum-kms stores
 * a wallet under the name it was given (`generatemanagedwallet USDT` writes `chain: "USDT"`), so
 * wallet files hold these names; the ChainRegistry resolves them to the base chain's signer.
 *
 * The base chain is the one whose derivation the SDK applies (so keys and addresses are the same as
 * tatum-kms's), and, where several chains derive alike (ETH and BSC), the chain the token lives on,
 * so the daemon polls the wallet with the transactions that name it. Polygon tokens that the SDK
 * derives on the Ethereum path (GAMEE, INTENT, EURTENT, GOLDAX) are therefore ETH wallets.
 * USDC_SOL is in `Currency` only (no SDK derivation); tatum-kms can store a key under it.
 */
export const SDK_CHAIN_ALIASES: Readonly<Record<string, string>> = Object.freeze({
  // generateEthWallet: ERC-20 tokens on Ethereum
  USDT: 'ETH',
  WBTC: 'ETH',
  LEO: 'ETH',
  REVV: 'ETH',
  LATOKEN: 'ETH',
  COIIN: 'ETH',
  SAND: 'ETH',
  LINK: 'ETH',
  UNI: 'ETH',
  FREE: 'ETH',
  MKR: 'ETH',
  USDC: 'ETH',
  BAT: 'ETH',
  TUSD: 'ETH',
  BUSD: 'ETH',
  GMC: 'ETH',
  PAX: 'ETH',
  PAXG: 'ETH',
  PLTC: 'ETH',
  XCON: 'ETH',
  MMY: 'ETH',
  MATIC_ETH: 'ETH',
  POL_ETH: 'ETH',
  // generateEthWallet: Polygon tokens the SDK derives on the Ethereum path
  GAMEE: 'ETH',
  INTENT: 'ETH',
  EURTENT: 'ETH',
  GOLDAX: 'ETH',
  // generateEthWallet: layer-2 networks and their tokens (no signer of their own here)
  ETH_ARB: 'ETH',
  ETH_BASE: 'ETH',
  ETH_OP: 'ETH',
  USDC_ARB: 'ETH',
  USDT_ARB: 'ETH',
  USDC_BASE: 'ETH',
  USDT_BASE: 'ETH',
  USDC_OP: 'ETH',
  USDT_OP: 'ETH',
  // BEP-20 tokens (SDK BEP20_CURRENCIES): the Ethereum path, which is BSC's too
  BETH: 'BSC',
  BBTC: 'BSC',
  BADA: 'BSC',
  WBNB: 'BSC',
  BDOT: 'BSC',
  BXRP: 'BSC',
  BLTC: 'BSC',
  BBCH: 'BSC',
  CAKE: 'BSC',
  HAG: 'BSC',
  BUSD_BSC: 'BSC',
  USDC_BSC: 'BSC',
  COIIN_BSC: 'BSC',
  GMC_BSC: 'BSC',
  B2U_BSC: 'BSC',
  RMD: 'BSC',
  // generatePolygonWallet
  USDC_MATIC: 'MATIC',
  USDC_MATIC_NATIVE: 'MATIC',
  USDT_MATIC: 'MATIC',
  // generateCeloWallet
  CUSD: 'CELO',
  CEUR: 'CELO',
  // generateTronWallet
  USDT_TRON: 'TRON',
  INRT_TRON: 'TRON',
  // generateFlowWallet
  FUSD: 'FLOW',
  // an SPL token on Solana
  USDC_SOL: 'SOL',
});

/** The base chain of an SDK alias (case-insensitive), or undefined when `name` is not one. */
export function sdkAliasTarget(name: string): string | undefined {
  const key = String(name).toUpperCase();
  return Object.hasOwn(SDK_CHAIN_ALIASES, key) ? SDK_CHAIN_ALIASES[key] : undefined;
}

/** The aliases that resolve to `chain`, in table order. */
export function sdkAliasesOf(chain: string): string[] {
  const base = String(chain).toUpperCase();
  return Object.keys(SDK_CHAIN_ALIASES).filter((alias) => SDK_CHAIN_ALIASES[alias] === base);
}
