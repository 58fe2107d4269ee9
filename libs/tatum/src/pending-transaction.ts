import type * as PendingTransactionDtoModule from './pending-transaction.dto';
import { pendingItemExcess } from './pending-limits';
import { InvalidPendingTxError } from './tatum.errors';

/** A key reference of a pending transaction: wallet `id`, key `index` in it (absent for key wallets). */
export interface SignatureRef {
  id: string;
  index?: number;
}

/** One entry of an off-chain withdrawal; UTXO withdrawals take their keys from `address.derivationKey`. */
export interface WithdrawalResponse {
  address?: { address?: string; derivationKey?: number };
  /** `"-1"` marks an entry that needs no signature. */
  vIn?: string;
  [field: string]: unknown;
}

/** A pending item exactly as the Tatum API sent it (parsed JSON: unknown fields and nulls included). */
export type ReceivedPendingItem = Readonly<Record<string, unknown>> & { readonly id: string };

/** A transaction the Tatum API parks for the KMS to sign (docs/tatum-protocol.md §3, §4). Nulls are dropped. */
export interface PendingTransaction {
  id: string;
  chain: string;
  serializedTransaction: string;
  hashes: string[];
  index?: number;
  signatures?: SignatureRef[];
  withdrawalId?: string;
  withdrawalResponses?: WithdrawalResponse[];
  txId?: string;
  /**
   * The item as received, for whoever must see the original (the four-eye server's POST body);
   * the fields above are the validated copy the KMS signs from.
   */
  received: ReceivedPendingItem;
}

/** A pending transaction that failed validation, kept so the pipeline can report it by its id. */
export interface InvalidPendingItem {
  id?: string;
  error: InvalidPendingTxError;
}

/** What one pending call returns: the valid transactions and, separately, the ones that are not. */
export interface PendingBatch {
  transactions: PendingTransaction[];
  invalid: InvalidPendingItem[];
}

let dtoModule: typeof PendingTransactionDtoModule | undefined;
/** The validation schema, required on first use (class-validator is heavy; most commands never need it). */
function pendingTransactionDto(): typeof PendingTransactionDtoModule {
  dtoModule ??= require('./pending-transaction.dto') as typeof PendingTransactionDtoModule;
  return dtoModule;
}

/** The item's id when one can be read (a non-empty string or a number), so a bad item can be reported. */
export function readPendingId(item: unknown): string | undefined {
  if (typeof item !== 'object' || item === null) return undefined;
  const id = (item as { id?: unknown }).id;
  if (typeof id === 'string' && id.length > 0) return id;
  if (typeof id === 'number' && Number.isFinite(id)) return String(id);
  return undefined;
}

/** Drops null members (Tatum sends `"index": null` and the like) so optional fields are simply absent. */
function withoutNulls(value: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, member]) => member !== null));
}

/**
 * Turns one item of a pending response into a PendingTransaction, or throws InvalidPendingTxError
 * naming the bad field (never its value). Unknown fields are dropped from the validated fields
 * (nulls count as absent) and kept in `received`, the item itself.
 */
export function toPendingTransaction(item: unknown): PendingTransaction {
  const id = readPendingId(item);
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    throw new InvalidPendingTxError(id, undefined, 'is not a JSON object');
  }
  const plain = withoutNulls(item);
  const { dto, problem } = pendingTransactionDto().validatePendingItem(plain);
  if (problem) throw new InvalidPendingTxError(id, problem.field, problem.problem);

  const tx: PendingTransaction = {
    id: dto.id,
    chain: dto.chain,
    serializedTransaction: dto.serializedTransaction,
    hashes: [...dto.hashes],
    received: item as ReceivedPendingItem,
  };
  if (dto.index !== undefined) tx.index = dto.index;
  if (dto.signatures)
    tx.signatures = dto.signatures.map(({ id: ref, index }) =>
      index == null ? { id: ref } : { id: ref, index },
    );
  if (dto.withdrawalId !== undefined) tx.withdrawalId = dto.withdrawalId;
  if (dto.withdrawalResponses) tx.withdrawalResponses = plain.withdrawalResponses as WithdrawalResponse[];
  if (dto.txId !== undefined) tx.txId = dto.txId;
  return tx;
}

/**
 * Validates a pending response item by item: one bad transaction never hides the others. An item
 * beyond PENDING_LIMITS (too large, too deep) is invalid before anything else reads it. When
 * `expectedChain` is given, a transaction of another chain is invalid (it would be signed with the
 * wrong chain's rules). Duplicate ids (the same transaction answered to two chunks) are kept once.
 */
export function parsePendingItems(items: readonly unknown[], expectedChain?: string): PendingBatch {
  const batch: PendingBatch = { transactions: [], invalid: [] };
  const seen = new Set<string>();
  for (const item of items) {
    try {
      const excess = pendingItemExcess(item);
      if (excess) throw new InvalidPendingTxError(readPendingId(item), excess.field, excess.problem);
      const tx = toPendingTransaction(item);
      if (expectedChain !== undefined && tx.chain.toUpperCase() !== expectedChain.toUpperCase()) {
        throw new InvalidPendingTxError(tx.id, 'chain', `is not the requested chain ${expectedChain}`);
      }
      if (seen.has(tx.id)) continue;
      seen.add(tx.id);
      batch.transactions.push(tx);
    } catch (caught) {
      // Anything else a validator may throw on a hostile item still fails that item only.
      const error =
        caught instanceof InvalidPendingTxError
          ? caught
          : new InvalidPendingTxError(readPendingId(item), undefined, 'could not be read');
      batch.invalid.push({ id: error.pendingId, error });
    }
  }
  return batch;
}
