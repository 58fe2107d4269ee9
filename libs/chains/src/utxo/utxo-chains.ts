import { type Bip32Versions, TPUB_VERSIONS, XPUB_VERSIONS } from '../hd/bip32';
import type { TatumApiDeclaration } from '../chain-network.port';

/** How a UTXO chain's deposit addresses (from the xpub, and of raw keys) are encoded. */
export type UtxoAddressType = 'p2wpkh' | 'p2pkh' | 'cashaddr';

/**
 * The parameters of one UTXO network. A superset of bitcoinjs-lib's `Network`, so signing code can
 * pass it to bitcoinjs-lib as is.
 */
export interface UtxoNetwork {
  /** Account-level BIP44 path (docs/tatum-protocol.md §6). */
  readonly derivationPath: string;
  readonly messagePrefix: string;
  /** Segwit bech32 human-readable part; '' on chains without segwit. */
  readonly bech32: string;
  readonly bip32: Bip32Versions;
  readonly pubKeyHash: number;
  readonly scriptHash: number;
  /** WIF version byte; imported keys must carry exactly this one. */
  readonly wif: number;
  /** CashAddr prefix (BCH only). */
  readonly cashAddrPrefix?: string;
}

/**
 * The form of the chain's pending transactions (docs/tatum-protocol.md §5): bitcore-lib JSON signed with ECDSA
 * (BTC, LTC, DOGE), or BCH's `"<unsigned hex>:<amounts>"` signed with Schnorr and SIGHASH_FORKID.
 */
export type UtxoTransactionFormat = 'bitcore' | 'bch';

export interface UtxoChain {
  readonly chain: string;
  readonly addressType: UtxoAddressType;
  readonly transactionFormat: UtxoTransactionFormat;
  readonly mainnet: UtxoNetwork;
  readonly testnet: UtxoNetwork;
  /** `POST /v3/{broadcastPath}/broadcast`; tatum-kms 8.0.1 sends every UTXO off-chain withdrawal to the off-chain endpoint. */
  readonly tatum: TatumApiDeclaration;
}

const BITCOIN_MAINNET = {
  messagePrefix: '\x18Bitcoin Signed Message:\n',
  bip32: XPUB_VERSIONS,
  pubKeyHash: 0x00,
  scriptHash: 0x05,
  wif: 0x80,
} as const;

const BITCOIN_TESTNET = {
  messagePrefix: '\x18Bitcoin Signed Message:\n',
  bip32: TPUB_VERSIONS,
  pubKeyHash: 0x6f,
  scriptHash: 0xc4,
  wif: 0xef,
} as const;

const TESTNET_PATH = "m/44'/1'/0'/0";

/** One row per UTXO chain. Adding one is adding a row here (its provider is generated in utxo.signer.ts). */
export const UTXO_CHAINS: readonly UtxoChain[] = [
  {
    chain: 'BTC',
    tatum: { broadcastPath: 'bitcoin', offchainWithdrawals: true },
    addressType: 'p2wpkh',
    transactionFormat: 'bitcore',
    mainnet: { ...BITCOIN_MAINNET, derivationPath: "m/44'/0'/0'/0", bech32: 'bc' },
    testnet: { ...BITCOIN_TESTNET, derivationPath: TESTNET_PATH, bech32: 'tb' },
  },
  {
    chain: 'LTC',
    tatum: { broadcastPath: 'litecoin', offchainWithdrawals: true },
    addressType: 'p2pkh',
    transactionFormat: 'bitcore',
    mainnet: {
      derivationPath: "m/44'/2'/0'/0",
      messagePrefix: '\x19Litecoin Signed Message:\n',
      bech32: 'ltc',
      bip32: { public: 0x019da462, private: 0x019d9cfe }, // Ltub / Ltpv
      pubKeyHash: 0x30,
      scriptHash: 0x32,
      wif: 0xb0,
    },
    testnet: {
      derivationPath: TESTNET_PATH,
      messagePrefix: '\x19Litecoin Signed Message:\n',
      bech32: 'tltc',
      bip32: { public: 0x0436f6e1, private: 0x0436ef7d }, // ttub / ttpv
      pubKeyHash: 0x6f,
      scriptHash: 0x3a,
      wif: 0xef,
    },
  },
  {
    chain: 'DOGE',
    tatum: { broadcastPath: 'dogecoin', offchainWithdrawals: true },
    addressType: 'p2pkh',
    transactionFormat: 'bitcore',
    mainnet: {
      derivationPath: "m/44'/3'/0'/0",
      messagePrefix: '\x19Dogecoin Signed Message:\n',
      bech32: '',
      bip32: XPUB_VERSIONS,
      pubKeyHash: 0x1e,
      scriptHash: 0x16,
      wif: 0x9e,
    },
    testnet: {
      derivationPath: TESTNET_PATH,
      messagePrefix: '\x19Dogecoin Signed Message:\n',
      bech32: '',
      bip32: TPUB_VERSIONS,
      pubKeyHash: 0x71,
      scriptHash: 0xc4,
      wif: 0xf1,
    },
  },
  {
    // Tatum derives BCH testnet wallets at the MAINNET path (with tpub version bytes).
    chain: 'BCH',
    tatum: { broadcastPath: 'bcash', offchainWithdrawals: true },
    addressType: 'cashaddr',
    transactionFormat: 'bch',
    mainnet: {
      ...BITCOIN_MAINNET,
      derivationPath: "m/44'/145'/0'/0",
      bech32: '',
      cashAddrPrefix: 'bitcoincash',
    },
    testnet: { ...BITCOIN_TESTNET, derivationPath: "m/44'/145'/0'/0", bech32: '', cashAddrPrefix: 'bchtest' },
  },
];

/** The row of a UTXO chain (case-insensitive), or undefined when the chain is not a UTXO chain. */
export function findUtxoChain(chain: string): UtxoChain | undefined {
  const symbol = String(chain).toUpperCase();
  return UTXO_CHAINS.find((row) => row.chain === symbol);
}

/** The network parameters of a UTXO chain on one network. */
export function utxoNetwork(row: UtxoChain, testnet: boolean): UtxoNetwork {
  return testnet ? row.testnet : row.mainnet;
}
