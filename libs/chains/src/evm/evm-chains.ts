import type { TatumApiDeclaration } from '../chain-network.port';
import type { FeeCap } from '../fee-cap';

/**
 * One row per EVM chain: everything that differs between them. Adding an EVM chain is adding a row
 * here; its signer provider is generated from the row (evm.signer.ts).
 */
export interface EvmChain {
  /** Tatum's chain symbol. */
  readonly chain: string;
  /** BIP44 account-level paths (docs/tatum-protocol.md §6); xpubs use `xpub` version bytes on both networks. */
  readonly derivationPath: { readonly mainnet: string; readonly testnet: string };
  /** EIP-155 chain ids (docs/tatum-protocol.md §5), the default when a transaction carries none. */
  readonly chainId: { readonly mainnet: number; readonly testnet: number };
  /** Addresses are this prefix + 40 lowercase hex digits (no EIP-55 checksum), as Tatum prints them. */
  readonly addressPrefix: '0x' | 'xdc';
  /**
   * Default cap on gas price (or maxFeePerGas) x gas limit when either comes from the network, in the
   * native coin: above what a normal transaction costs at the chain's gas price peaks, and worth
   * little (the README's "Fee caps" gives the reasoning per chain).
   */
  readonly feeCap: FeeCap;
  /**
   * Its Tatum API paths: `POST /v3/{broadcastPath}/broadcast`, the nonce from
   * `GET /v3/{noncePath}/transaction/count/{0x address}`, and the off-chain routing of tatum-kms 8.0.1.
   */
  readonly tatum: TatumApiDeclaration & { readonly noncePath: string };
  /**
   * Where a missing gas price comes from, as Tatum's SDK takes it: 'feeEndpoint' is the `medium` of
   * `GET /v3/blockchain/fee/{chain}` (the API serves it for ETH only among EVM chains), 'node' the
   * node's `eth_gasPrice`.
   */
  readonly gasPriceSource: 'feeEndpoint' | 'node';
}

/** Tatum derives every EVM testnet wallet at the shared BIP44 testnet coin type. */
const TESTNET_PATH = "m/44'/1'/0'/0";

export const EVM_CHAINS: readonly EvmChain[] = [
  {
    chain: 'ETH',
    derivationPath: { mainnet: "m/44'/60'/0'/0", testnet: TESTNET_PATH },
    chainId: { mainnet: 1, testnet: 11155111 },
    addressPrefix: '0x',
    feeCap: { default: '0.05', unit: 'ETH' },
    tatum: { broadcastPath: 'ethereum', noncePath: 'ethereum', offchainWithdrawals: true },
    gasPriceSource: 'feeEndpoint',
  },
  {
    chain: 'BSC',
    derivationPath: { mainnet: "m/44'/60'/0'/0", testnet: TESTNET_PATH },
    chainId: { mainnet: 56, testnet: 97 },
    addressPrefix: '0x',
    feeCap: { default: '0.05', unit: 'BNB' },
    tatum: { broadcastPath: 'bsc', noncePath: 'bsc', offchainWithdrawals: false },
    gasPriceSource: 'node',
  },
  {
    chain: 'MATIC',
    derivationPath: { mainnet: "m/44'/966'/0'/0", testnet: TESTNET_PATH },
    chainId: { mainnet: 137, testnet: 80002 },
    addressPrefix: '0x',
    feeCap: { default: '50', unit: 'POL' },
    tatum: { broadcastPath: 'polygon', noncePath: 'polygon', offchainWithdrawals: false },
    gasPriceSource: 'node',
  },
  {
    chain: 'CELO',
    derivationPath: { mainnet: "m/44'/52752'/0'/0", testnet: TESTNET_PATH },
    chainId: { mainnet: 42220, testnet: 44787 },
    addressPrefix: '0x',
    feeCap: { default: '5', unit: 'CELO' },
    tatum: { broadcastPath: 'celo', noncePath: 'celo', offchainWithdrawals: false },
    gasPriceSource: 'node',
  },
  {
    chain: 'KLAY',
    derivationPath: { mainnet: "m/44'/8217'/0'/0", testnet: TESTNET_PATH },
    chainId: { mainnet: 8217, testnet: 1001 },
    addressPrefix: '0x',
    feeCap: { default: '10', unit: 'KAIA' },
    tatum: { broadcastPath: 'klaytn', noncePath: 'klaytn', offchainWithdrawals: false },
    gasPriceSource: 'node',
  },
  {
    // Tatum prints Harmony addresses as 0x-hex (HarmonyAddress.basicHex), not one1... bech32.
    chain: 'ONE',
    derivationPath: { mainnet: "m/44'/1023'/0'/0", testnet: TESTNET_PATH },
    chainId: { mainnet: 1666600000, testnet: 1666700000 },
    addressPrefix: '0x',
    feeCap: { default: '100', unit: 'ONE' },
    tatum: { broadcastPath: 'one', noncePath: 'one', offchainWithdrawals: true },
    gasPriceSource: 'node',
  },
  {
    chain: 'XDC',
    derivationPath: { mainnet: "m/44'/550'/0'/0", testnet: TESTNET_PATH },
    chainId: { mainnet: 50, testnet: 51 },
    addressPrefix: 'xdc',
    feeCap: { default: '10', unit: 'XDC' },
    tatum: { broadcastPath: 'xdc', noncePath: 'xdc', offchainWithdrawals: false },
    gasPriceSource: 'node',
  },
  {
    // UNVERIFIED: Tatum's KCS package (@tatumio/tatum-kcs) could not be checked; these are the ETH
    // paths it is believed to use. No derivation vectors exist for KCS.
    chain: 'KCS',
    derivationPath: { mainnet: "m/44'/60'/0'/0", testnet: TESTNET_PATH },
    chainId: { mainnet: 321, testnet: 322 },
    addressPrefix: '0x',
    feeCap: { default: '0.1', unit: 'KCS' },
    tatum: { broadcastPath: 'kcs', noncePath: 'kcs', offchainWithdrawals: false },
    gasPriceSource: 'node',
  },
];

/** The row of an EVM chain (case-insensitive), or undefined when the chain is not EVM. */
export function findEvmChain(chain: string): EvmChain | undefined {
  const symbol = String(chain).toUpperCase();
  return EVM_CHAINS.find((row) => row.chain === symbol);
}
