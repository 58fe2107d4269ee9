/** What the sandbox knows of one demo wallet: public facts only (its secrets stay in the store). */
export interface DemoWallet {
  chain: string;
  signatureId: string;
  /** The address at `index` (HD wallets, from the xpub); a key or secret wallet's one address. */
  address(index: number): Promise<string>;
}

/** A pending transaction a chain's demo parks, without its id (the scenario gives one). */
export interface DemoPending {
  /** What it is, for the table: e.g. "USDT transfer, nonce and gas price from the API". */
  label: string;
  /** The item as the Tatum API serves it, `id` aside: chain, serializedTransaction, hashes, index... */
  item: Record<string, unknown>;
}

/** The local check of one signed transaction. */
export interface Verification {
  verified: boolean;
  /** What was checked, or what did not hold: e.g. "signer 0x12ab…cdef is the wallet's address 1". */
  detail: string;
}

/** What a check gets: the signed transaction, the pending item it was signed from, its wallet. */
export interface SignedDemo {
  /** The signed transaction as the network would receive it (SOL: the wire bytes, base64). */
  signed: string;
  /** The id the broadcast answered. */
  txId: string;
  item: Record<string, unknown>;
  wallet: DemoWallet;
}

/**
 * One chain of the sandbox: realistic pending transactions in the chain's own format (the shapes
 * Tatum's SDK parks), the txId a network would give a signed one, and a check of a signed one that
 * uses the chain's own libraries, not the KMS's signing code: the signer recovered from (or verified
 * against) the signature must be the wallet.
 */
export interface DemoChain {
  readonly chain: string;
  /**
   * True when the signer submits to the chain's node itself and broadcasts only the id (SOL): the
   * signed bytes are then what the sandbox node received.
   */
  readonly signedOnNode?: boolean;
  /** The `variant`-th demo transaction of `wallet` (0, 1, 2...: each a different, valid transaction). */
  pending(wallet: DemoWallet, variant: number): Promise<DemoPending>;
  /** The id a network would give this broadcast txData. */
  txId(txData: string): Promise<string>;
  verify(signed: SignedDemo): Promise<Verification>;
}

/** `0x1234…abcd`: enough of a long value to recognise it in a table. */
export function short(value: string, keep = 6): string {
  return value.length <= keep * 2 + 1 ? value : `${value.slice(0, keep)}…${value.slice(-keep)}`;
}

/** The item's `index` (the wallet key it names), 0 when absent. */
export function indexOf(item: Record<string, unknown>): number {
  return typeof item.index === 'number' ? item.index : 0;
}
