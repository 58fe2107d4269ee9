import type { ChainNetwork, TatumApiDeclaration } from './chain-network.port';
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
 * Everything the KMS knows about one blockchain: how wallets are made and derived (docs/tatum-protocol.md §6)
 * and, from the daemon issue on, how its pending transactions are signed. One provider per chain,
 * registered with `@ChainSigner('ETH')`. Heavy chain libraries are loaded on first use, so boot
 * stays fast whatever the number of chains. Methods throw InvalidMnemonicError,
 * InvalidPrivateKeyError or InvalidIndexError (never echoing the secret) on bad input.
 */
export interface ChainSigner extends TransactionSigner {
  readonly chain: string;
  /** Its Tatum API paths and routing (see TatumApiDeclaration): the daemon broadcasts by them. */
  readonly tatum: TatumApiDeclaration;
  /**
   * 'hd': wallets are BIP39 mnemonics; 'keyPair': random key pairs stored as {address, privateKey}
   * (SOL); 'secret': random accounts stored as {address, secret} (XRP, XLM, ALGO).
   */
  readonly walletModel: 'hd' | 'keyPair' | 'secret';
  /**
   * Which resolved keys signTransaction receives (docs/tatum-protocol.md §4): 'firstKey' (account chains, the
   * default), 'everyKey' (account chains whose transactions may need several signers, SOL: the
   * deduplicated keys of every wallet the transaction names), 'keySet' (UTXO: the deduplicated keys
   * of every input), 'keysByInput' (BCH: key i for input i, in order, repeats kept).
   */
  readonly signsWith?: 'firstKey' | 'everyKey' | 'keySet' | 'keysByInput';
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

/**
 * What describe needs: the part of a SignRequest that says what is signed (no keys, no network).
 * A SignRequest is a DescribeRequest, so the same request can be described and then signed.
 */
export interface DescribeRequest {
  /**
   * The pending transaction's id (Tatum's), for signers that submit to the chain themselves and must
   * not submit twice for one pending transaction (FLOW).
   */
  pendingId?: string;
  /** The pending transaction's `serializedTransaction`, untrusted: validate before use. */
  serializedTransaction: string;
  /** Set when the pending transaction has a withdrawalId (off-chain withdrawal). */
  withdrawal: boolean;
  testnet: boolean;
}

/**
 * An amount in base units: `value` is a non-negative integer as decimal digits (wei, satoshis,
 * lamports, drops...), worth value / 10^decimals of `asset`. `asset` is the chain's symbol for its
 * native coin (ETH, BSC, BTC, TRON...) and the token's on-chain identity otherwise (an EVM or TRON
 * contract address, a SOL mint, an XLM `CODE:ISSUER`, an XRP `CURRENCY.ISSUER`, an ALGO asset id, an
 * EGLD token identifier). `decimals` is absent when the payload does not say it (an ERC-20 token's
 * decimals live in its contract): it is never guessed.
 */
export interface SummaryAmount {
  asset: string;
  value: string;
  decimals?: number;
}

/**
 * What a transaction does, as far as its payload tells: `transfer` of the native coin, `token-transfer`,
 * `approve` (a token allowance: `to` is the spender, the amount the allowance), `contract-call` (any
 * other call: `contract` and `data` say which; its effects are not decoded), `unknown` (the payload
 * does something this chain's describe does not decode; never guessed).
 */
export type TransactionKind = 'transfer' | 'token-transfer' | 'approve' | 'contract-call' | 'unknown';

/**
 * A chain's decoding of what it will sign (`describe`), built from the same parsed object that its
 * signTransaction signs. Addresses are in the chain's usual form (EVM lowercase 0x-hex).
 */
export interface TransactionSummary {
  chain: string;
  kind: TransactionKind;
  /** Accounts the value leaves, where the payload names them (EVM: the key's account, so empty). */
  from: string[];
  /** Recipients of value (for `approve`, the spender; for a contract call, the contract). */
  to: string[];
  /** What leaves `from`, per asset and recipient; empty when nothing is moved or it cannot be told. */
  amounts: SummaryAmount[];
  /**
   * The most the transaction can pay in fees, when the payload fixes it (EVM gas price x limit, UTXO
   * inputs - outputs, XRP Fee ...); absent when the signer fills it from the network.
   */
  fee?: SummaryAmount;
  /** The contract, program or token called, for token transfers, approvals and contract calls. */
  contract?: string;
  /** The call's data as the payload carries it (EVM calldata hex, EGLD data text, Cadence...). */
  data?: string;
  /** The decoded method or operation name, when known (`transfer`, `approve`, `ESDTTransfer`...). */
  method?: string;
  /** UTXO: outputs paying back to an address the transaction spends from; not in `to`/`amounts`. */
  change?: Array<{ address: string; value: string }>;
  /** What the payload could not tell, in plain words (e.g. "the token's decimals are on chain"). */
  notes?: string[];
}

/** One pending transaction to sign, with its keys already resolved by the pipeline (docs/tatum-protocol.md §4). */
export interface SignRequest extends DescribeRequest {
  /** Private keys in this chain's export format (0x-hex, WIF, base58 ...), deduplicated, in order. */
  keys: string[];
  /**
   * Off-chain withdrawals of UTXO chains: the key for input i (undefined for entries whose vIn is "-1"),
   * derived from the wallet mnemonic at withdrawalResponses[i].address.derivationKey.
   */
  inputKeys?: Array<string | undefined>;
  /** The Tatum API and the chain's nodes; each chain builds its typed calls on it in its folder. */
  network: ChainNetwork;
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
  /**
   * What signTransaction would sign for this request, decoded from the same parsed object (so the two
   * cannot differ), without keys or network. Throws InvalidTransactionError where signTransaction
   * would for a malformed payload. Optional: a chain without it is described as `null` to approvers.
   */
  describe?(request: DescribeRequest): Promise<TransactionSummary>;
}
