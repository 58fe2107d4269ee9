import type { FeeCap } from './fee-cap';

/**
 * A wallet created for a chain: HD chains return a mnemonic (and xpub where BIP32 applies); key-pair
 * chains (SOL) an address and private key; secret chains (XRP, XLM, ALGO) an address and their own
 * secret format (family seed, secret seed, 25-word mnemonic). Field names are the wallet file's.
 */
export type NewWallet =
  | { mnemonic: string; xpub?: string }
  | { address: string; privateKey: string }
  | { address: string; secret: string };

/**
 * A single key with its address, e.g. one entry of `generatemanagedprivatekeybatch`. For secret
 * chains (walletModel 'secret') `privateKey` holds the chain's secret and is stored as `secret`.
 */
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
export interface ChainSigner extends TransactionSigner {
  readonly chain: string;
  /**
   * 'hd': wallets are BIP39 mnemonics; 'keyPair': random key pairs stored as {address, privateKey}
   * (SOL); 'secret': random accounts stored as {address, secret} (XRP, XLM, ALGO).
   */
  readonly walletModel: 'hd' | 'keyPair' | 'secret';
  /**
   * Which resolved keys signTransaction receives (PROTOCOL.md §4): 'firstKey' (account chains, the
   * default), 'keySet' (UTXO: the deduplicated keys of every input), 'keysByInput' (BCH: key i for
   * input i, in order, repeats kept).
   */
  readonly signsWith?: 'firstKey' | 'keySet' | 'keysByInput';
  /**
   * True when signTransaction also submits the transaction to the chain and returns its id (SOL,
   * FLOW). The pipeline then reports that id to `/v3/{path}/broadcast`, also for a pending
   * transaction with a withdrawalId, as tatum-kms does: the off-chain endpoint would broadcast txData.
   */
  readonly submitsItself?: boolean;
  /**
   * Set by signers that fill a fee or gas in from the network (EVM gas price and limit, EGLD, VET
   * gas): the default cap on such a fee (see SignRequest.maxFee). TATUM_KMS_MAX_FEE_<CHAIN> is only
   * accepted for chains that have one.
   */
  readonly feeCap?: FeeCap;
  /**
   * Self-submitting signers (SOL, FLOW): a transaction handed to SignRequest.beforeSubmit (perhaps by
   * a process that died since) is looked up on chain and, while it has not landed and still can,
   * sent again with exactly the same bytes (same signature, same id). Resolves with its id (what
   * signTransaction returned for it) once confirmed. Never signs anything. Throws when it failed on
   * chain, can no longer land, or is not confirmed yet (then the caller asks again later).
   */
  resubmit?(signedTx: string, request: ResubmitRequest): Promise<string>;

  /** A fresh random wallet in the chain's native model. */
  generateWallet(testnet: boolean): Promise<NewWallet>;
  /**
   * Validates a BIP39 mnemonic (checksum) and computes its xpub (undefined for non-BIP32 chains).
   * Chains without mnemonic wallets throw InvalidMnemonicError saying so.
   */
  walletFromMnemonic(mnemonic: string, testnet: boolean): Promise<{ mnemonic: string; xpub?: string }>;
  /** Address `index` of an HD wallet, from its xpub when the chain has one, else from the mnemonic. */
  deriveAddress(
    wallet: { mnemonic?: string; xpub?: string },
    index: number,
    testnet: boolean,
  ): Promise<string>;
  /** Private key `index` of a mnemonic, in the chain's export format (WIF, 0x-hex, base58...). */
  derivePrivateKey(mnemonic: string, index: number, testnet: boolean): Promise<string>;
  /** A fresh random key with its address (fast path for key batches). */
  generateKeyPair(testnet: boolean): Promise<KeyPair>;
  /** Validates a private key for this chain and network, returning its canonical form and address. */
  importPrivateKey(privateKey: string, testnet: boolean): Promise<KeyPair>;
}

/** What some chains need from the network to sign, reached through the Tatum API (libs/tatum). */
export interface SigningNetwork {
  /** Next nonce of an account (EVM: GET /v3/{path}/transaction/count/{address}). */
  nonce(chain: string, address: string): Promise<number>;
  /** A gas price in wei as a decimal string (EVM: the `fast` or `medium` fee of GET /v3/blockchain/fee/...). */
  gasPrice(chain: string): Promise<string>;
  /** A JSON-RPC call to the chain's node (Tatum's node gateway, or a configured node URL). */
  rpc(chain: string, method: string, params: unknown[]): Promise<unknown>;
}

/** One pending transaction to sign, with its keys already resolved by the pipeline (PROTOCOL.md §4). */
export interface SignRequest {
  /**
   * The pending transaction's id (Tatum's), for signers that submit to the chain themselves and must
   * not submit twice for one pending transaction (FLOW).
   */
  pendingId?: string;
  /** The pending transaction's `serializedTransaction`, untrusted: validate before use. */
  serializedTransaction: string;
  /** Private keys in this chain's export format (0x-hex, WIF, base58 ...), deduplicated, in order. */
  keys: string[];
  /**
   * Off-chain withdrawals of UTXO chains: the key for input i (undefined for entries whose vIn is "-1"),
   * derived from the wallet mnemonic at withdrawalResponses[i].address.derivationKey.
   */
  inputKeys?: Array<string | undefined>;
  /** Set when the pending transaction has a withdrawalId (off-chain withdrawal). */
  withdrawal: boolean;
  testnet: boolean;
  network: SigningNetwork;
  /**
   * TATUM_KMS_MAX_FEE_<CHAIN> (a validated decimal in the unit of the signer's feeCap), else
   * undefined: the signer's default cap. A fee the signer fills in from the network above it is
   * refused with FeeCapExceededError before anything is signed; fees the transaction sets are kept.
   */
  maxFee?: string;
  /**
   * Signers that submit to the chain themselves (SOL, FLOW) call this, and wait for it, with the
   * signed transaction before they send it; when it rejects, nothing is sent. `signedTx` is what
   * ChainSigner.resubmit takes back; `txId` what signTransaction returns for it. The daemon records
   * both durably (its signing journal), so a restart resends these bytes instead of signing again.
   */
  beforeSubmit?(signed: { signedTx: string; txId: string }): Promise<void>;
}

/** What ChainSigner.resubmit needs: the network to ask, and which one. */
export type ResubmitRequest = Pick<SignRequest, 'network' | 'testnet' | 'pendingId'>;

/**
 * The signing side of a chain (ChainSigner implements it from the daemon issue on). Returns the
 * txData to hand back to the Tatum API. Throws InvalidTransactionError (code INVALID_PENDING_TX)
 * for a malformed or inconsistent serializedTransaction, never quoting a key.
 */
export interface TransactionSigner {
  signTransaction(request: SignRequest): Promise<string>;
}
