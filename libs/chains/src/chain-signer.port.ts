/** A wallet created for a chain: HD chains return a mnemonic (and xpub where BIP32 applies). */
export type NewWallet = { mnemonic: string; xpub?: string } | { address: string; privateKey: string };

/** A single key with its address, e.g. one entry of `generatemanagedprivatekeybatch`. */
export interface KeyPair {
  address: string;
  privateKey: string;
}

/**
 * Everything the KMS knows about one blockchain: how wallets are made and derived (PROTOCOL.md §6)
 * and, from the daemon issue on, how its pending transactions are signed. One provider per chain,
 * registered with `@ChainSigner('ETH')`. Heavy chain libraries are loaded on first use, so boot
 * stays fast whatever the number of chains. Methods throw InvalidMnemonicError,
 * InvalidPrivateKeyError or InvalidIndexError (never echoing the secret) on bad input.
 */
export interface ChainSigner {
  readonly chain: string;
  /** 'hd': wallets are BIP39 mnemonics; 'keyPair': wallets are random key pairs (SOL). */
  readonly walletModel: 'hd' | 'keyPair';

  /** A fresh random wallet in the chain's native model. */
  generateWallet(testnet: boolean): Promise<NewWallet>;
  /** Validates a BIP39 mnemonic (checksum) and computes its xpub (undefined for non-BIP32 chains). */
  walletFromMnemonic(mnemonic: string, testnet: boolean): Promise<{ mnemonic: string; xpub?: string }>;
  /** Address `index` of an HD wallet, from its xpub when the chain has one, else from the mnemonic. */
  deriveAddress(wallet: { mnemonic?: string; xpub?: string }, index: number, testnet: boolean): Promise<string>;
  /** Private key `index` of a mnemonic, in the chain's export format (WIF, 0x-hex, base58...). */
  derivePrivateKey(mnemonic: string, index: number, testnet: boolean): Promise<string>;
  /** A fresh random key with its address (fast path for key batches). */
  generateKeyPair(testnet: boolean): Promise<KeyPair>;
  /** Validates a private key for this chain and network, returning its canonical form and address. */
  importPrivateKey(privateKey: string, testnet: boolean): Promise<KeyPair>;
}
