import { Inject } from '@nestjs/common';

/**
 * The signing journal: the daemon's durable memory of what it signed, so that no pending id is ever
 * signed twice, not across cycles, restarts or replicas. Two adapters implement this port: an
 * embedded one in the wallet folder (SQLite) and PostgreSQL (several replicas, one database).
 *
 * Contract (every adapter, checked by the shared contract suite):
 * - Every write is durable when its promise resolves (fsync / commit).
 * - Entries form one hash chain in insertion order: each entry holds `prevHash`, the `hash` of the
 *   entry before it (GENESIS_HASH for the first), and its own `hash` = entryHash(prevHash, entry).
 * - A claim and the record it leads to are atomic per pending id: two replicas claiming the same id
 *   at the same moment get one `fresh` and one `held`.
 * - Batch methods answer in the order of their input; one item's problem never fails the others
 *   (it is answered as `unreadable`).
 */
export interface SigningJournal {
  /**
   * Claims pending ids for `replica` with a lease of `leaseMs`. Per item:
   * - `fresh`: never signed; the lease is this replica's, it may sign (and must record before sending);
   * - `signed`: signed before with the SAME payload hash: send these recorded bytes again, sign nothing;
   * - `conflict`: signed before with ANOTHER payload hash: refuse, never sign;
   * - `held`: another replica holds a live lease on it: skip it this cycle;
   * - `unreadable`: the record cannot be read or decrypted: refuse (fail closed).
   * A `fresh` claim of an id whose earlier lease expired (its replica died before signing) is
   * allowed: nothing was recorded as signed for it.
   */
  claimMany(claims: readonly JournalClaim[], replica: string, leaseMs: number): Promise<ClaimResult[]>;
  /** Records signed transactions; resolves only when they are durable. Sent only after this. */
  recordSignedMany(records: readonly SignedRecord[]): Promise<void>;
  /** Records what became of pending ids (broadcast, failed, refused, denied). */
  recordOutcomeMany(records: readonly OutcomeRecord[]): Promise<void>;
  /** Entries in insertion order, filtered; secrets never leave sealed. */
  list(filter?: JournalFilter): AsyncIterable<JournalEntry>;
  /** Walks the hash chain: the first entry that was edited, removed or reordered, or ok. */
  verify(): Promise<JournalVerdict>;
  /**
   * Re-seals every recorded signed transaction (`changepassword`): `reseal` gets each id's current
   * sealed value and answers the value to keep; an answer equal to its input leaves that id alone (so
   * a run interrupted and started again re-seals only what is left). Every changed id is written in
   * ONE transaction: its per-id state gets the new value (what claims answer from now on) and one
   * `resealed` entry is appended to the chain carrying it (the `signed` entry, and so every hash,
   * stays as it was). `reseal` runs before that transaction; an id whose sealed value changed
   * meanwhile is left alone. Throws (writing nothing) when `reseal` throws. Resolves to the number
   * of ids re-sealed.
   */
  resealAll(reseal: Resealer, replica: string): Promise<number>;
  close(): Promise<void>;
}

/** The new sealed value of one id's signed transaction (its input unchanged: leave it). */
export type Resealer = (sealedTx: string, binding: { chain: string; pendingId: string }) => Promise<string>;

export interface JournalClaim {
  pendingId: string;
  chain: string;
  /** payloadHash() of libs/signing: what was asked to be signed. */
  payloadHash: string;
}

export type ClaimResult =
  | { kind: 'fresh' }
  | { kind: 'signed'; sealedTx: string; signedTxHash: string; submittedOnChain: boolean }
  | { kind: 'conflict'; recordedPayloadHash: string }
  | { kind: 'held'; replica: string; until: Date }
  | { kind: 'unreadable'; reason: string };

export interface SignedRecord {
  pendingId: string;
  chain: string;
  payloadHash: string;
  /** The signed bytes (or a self-submitting chain's signed transaction), sealed with the store's data key. */
  sealedTx: string;
  /** sha256 of the unsealed signed bytes, hex: what `list` shows and what must never change per id. */
  signedTxHash: string;
  /** A self-submitting chain (SOL, FLOW) recorded this before sending it to the chain itself. */
  submittedOnChain: boolean;
  /** For the policy's rolling windows: the signing wallet(s) and amounts (base units). No secret. */
  wallets?: string[];
  amounts?: Array<{ asset: string; value: string }>;
  replica: string;
}

export type JournalOutcome = 'broadcast' | 'failed' | 'refused' | 'denied';

export interface OutcomeRecord {
  pendingId: string;
  chain: string;
  outcome: JournalOutcome;
  txId?: string;
  /** Printable, secret-free reason (already redacted by the caller). */
  reason?: string;
  replica: string;
}

export interface JournalFilter {
  since?: Date;
  chain?: string;
  outcome?: JournalOutcome | 'signed' | 'claimed' | 'resealed';
}

/**
 * One line of the journal as `journal list` prints it (sealedTx only with --with-tx). A `resealed`
 * entry follows a password change: the same signed transaction (payloadHash and signedTxHash of its
 * `signed` entry) sealed under the new password; the latest `signed`/`resealed` entry of an id holds
 * the sealed value its state holds.
 */
export interface JournalEntry {
  seq: number;
  time: string;
  kind: 'claimed' | 'signed' | 'resealed' | JournalOutcome;
  pendingId: string;
  chain: string;
  payloadHash?: string;
  signedTxHash?: string;
  sealedTx?: string;
  txId?: string;
  reason?: string;
  wallets?: string[];
  amounts?: Array<{ asset: string; value: string }>;
  replica: string;
  prevHash: string;
  hash: string;
}

export type JournalVerdict =
  { ok: true; entries: number } | { ok: false; entries: number; firstBadSeq: number; reason: string };

export const SIGNING_JOURNAL = Symbol('SIGNING_JOURNAL');
export const InjectSigningJournal = (): ParameterDecorator => Inject(SIGNING_JOURNAL);
