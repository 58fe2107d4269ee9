import type { FeeCap } from '../fee-cap';

/**
 * One row per EVM chain: everything that differs between them. Adding an EVM chain is adding a row
 * here; its signer provider is generated from the row (evm.signer.ts).
 */
export interface EvmChain {
  /** Tatum's chain symbol. */
  readonly chain: string;
  /** BIP44 account-level paths (PROTOCOL.md §6); xpubs use `xpub` version bytes on both networks. */
  readonly derivationPath: { readonly mainnet: string; readonly testnet: string };
  /** EIP-155 chain ids (PROTOCOL.md §5), the default when a transaction carries none. */
  readonly chainId: { readonly mainnet: number; readonly testnet: number };
  /** Addresses are this prefix + 40 lowercase hex digits (no EIP-55 checksum), as Tatum prints them. */
  readonly addressPrefix: '0x' | 'xdc';
  /**
   * Default cap on gas price (or maxFeePerGas) x gas limit when either comes from the network, in the
   * native coin: above what a normal transaction costs at the chain's gas price peaks, and worth
   * little (the README's "Fee caps" gives the reasoning per chain).
   */
  readonly feeCap: FeeCap;
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
  },
  {
    chain: 'BSC',
    derivationPath: { mainnet: "m/44'/60'/0'/0", testnet: TESTNET_PATH },
    chainId: { mainnet: 56, testnet: 97 },
    addressPrefix: '0x',
    feeCap: { default: '0.05', unit: 'BNB' },
  },
  {
    chain: 'MATIC',
    derivationPath: { mainnet: "m/44'/966'/0'/0", testnet: TESTNET_PATH },
    chainId: { mainnet: 137, testnet: 80002 },
    addressPrefix: '0x',
    feeCap: { default: '50', unit: 'POL' },
  },
  {
    chain: 'CELO',
    derivationPath: { mainnet: "m/44'/52752'/0'/0", testnet: TESTNET_PATH },
    chainId: { mainnet: 42220, testnet: 44787 },
    addressPrefix: '0x',
    feeCap: { default: '5', unit: 'CELO' },
  },
  {
    chain: 'KLAY',
    derivationPath: { mainnet: "m/44'/8217'/0'/0", testnet: TESTNET_PATH },
    chainId: { mainnet: 8217, testnet: 1001 },
    addressPrefix: '0x',
    feeCap: { default: '10', unit: 'KAIA' },
  },
  {
    // Tatum prints Harmony addresses as 0x-hex (HarmonyAddress.basicHex), not one1... bech32.
    chain: 'ONE',
    derivationPath: { mainnet: "m/44'/1023'/0'/0", testnet: TESTNET_PATH },
    chainId: { mainnet: 1666600000, testnet: 1666700000 },
    addressPrefix: '0x',
    feeCap: { default: '100', unit: 'ONE' },
  },
  {
    chain: 'XDC',
    derivationPath: { mainnet: "m/44'/550'/0'/0", testnet: TESTNET_PATH },
    chainId: { mainnet: 50, testnet: 51 },
    addressPrefix: 'xdc',
    feeCap: { default: '10', unit: 'XDC' },
  },
  {
    // UNVERIFIED: Tatum's KCS package (@tatumio/tatum-kcs) could not be checked; these are the ETH
    // paths it is believed to use. No derivation vectors exist for KCS.
    chain: 'KCS',
    derivationPath: { mainnet: "m/44'/60'/0'/0", testnet: TESTNET_PATH },
    chainId: { mainnet: 321, testnet: 322 },
    addressPrefix: '0x',
    feeCap: { default: '0.1', unit: 'KCS' },
  },
];

/** The row of an EVM chain (case-insensitive), or undefined when the chain is not EVM. */
export function findEvmChain(chain: string): EvmChain | undefined {
  const symbol = String(chain).toUpperCase();
  return EVM_CHAINS.find((row) => row.chain === symbol);
}
