import { createHash } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { safeErrorMessage } from '@kms/common';
import {
  JournalRecordRefusedError,
  type ClaimResult,
  type JournalClaim,
  type OutcomeRecord,
  type SignedRecord,
  type SigningJournal,
  type TxSealer,
} from '@kms/journal';
import { GroupCommit } from './group-commit';
import { SignedRecordRefusedError } from './signing.errors';

/**
 * How long a claim keeps other replicas off a pending id: far longer than the work on one claimed
 * chunk (CLAIM_CHUNK transactions: approval, signing, recording), short enough that the claims of a
 * replica that died are taken over within a minute (TATUM_KMS_JOURNAL_LEASE_SECONDS).
 */
export const DEFAULT_LEASE_MS = 60_000;

/**
 * Outcomes are history, not a condition of sending: nobody waits for them, so they are gathered for
 * up to 250 ms (or 1,000 of them) per commit, and flushed at the end of every cycle.
 */
const OUTCOME_GATHERING = { gatherMs: 250, maxItems: 1_000 };
/**
 * A signed record holds its transaction back until it is committed: no waiting window, only one
 * turn of the event loop (what is ready by then joins; measured: about 16 records per commit at
 * 1,000 transactions, whatever the window, so a window only adds latency).
 */
const SIGNED_GATHERING = {};

export interface JournalSessionOptions {
  journal: SigningJournal;
  /** Seals the signed bytes before they are recorded, opens them to send them again. */
  sealer: TxSealer;
  /** This process among the replicas sharing the journal (hostname, pid, random). */
  replica: string;
  leaseMs?: number;
}

/** What the pipeline records once a transaction is signed, before anything is sent. */
export interface SignedTransaction {
  chain: string;
  pendingId: string;
  payloadHash: string;
  /** The signed bytes (or a self-submitting signer's recorded transaction), in clear. */
  signedTx: string;
  submittedOnChain: boolean;
  wallets?: string[];
  /** What the chain's summary says the transaction moves (base units): the policy's windows count it. */
  amounts?: Array<{ asset: string; value: string }>;
}

/**
 * The pipeline's side of the signing journal: claims per chain batch, signed records grouped into
 * few commits (GroupCommit) and sealed before they leave the process, outcomes written in the
 * background (awaited at the end of a cycle by settled()).
 */
export class JournalSession {
  private readonly logger = new Logger('SigningJournal');
  private readonly leaseMs: number;
  private readonly signed: GroupCommit<SignedRecord>;
  private readonly outcomes: GroupCommit<OutcomeRecord>;
  private readonly writing = new Set<Promise<void>>();
  /** Since the last stats(): records written and the commits they took. */
  private counts = { signed: 0, signedCommits: 0, outcomes: 0, outcomeCommits: 0 };

  constructor(private readonly options: JournalSessionOptions) {
    this.leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    this.signed = new GroupCommit((records) => this.writeSigned(records), SIGNED_GATHERING);
    this.outcomes = new GroupCommit(async (records) => {
      this.counts.outcomes += records.length;
      this.counts.outcomeCommits++;
      await this.options.journal.recordOutcomeMany(records);
      return [];
    }, OUTCOME_GATHERING);
  }

  get replica(): string {
    return this.options.replica;
  }

  claim(claims: readonly JournalClaim[]): Promise<ClaimResult[]> {
    return claims.length
      ? this.options.journal.claimMany(claims, this.replica, this.leaseMs)
      : Promise.resolve([]);
  }

  /** Resolves once the record is durable; SignedRecordRefusedError when the journal refused it. */
  async recordSigned(signed: SignedTransaction): Promise<void> {
    const binding = { chain: signed.chain, pendingId: signed.pendingId };
    await this.signed.add({
      pendingId: signed.pendingId,
      chain: signed.chain,
      payloadHash: signed.payloadHash,
      sealedTx: await this.options.sealer.seal(signed.signedTx, binding),
      signedTxHash: signedTxHash(signed.signedTx),
      submittedOnChain: signed.submittedOnChain,
      wallets: signed.wallets,
      amounts: signed.amounts,
      replica: this.replica,
    });
  }

  /** The recorded bytes in clear; throws when they do not open or do not match their hash. */
  async unseal(chain: string, pendingId: string, claim: { sealedTx: string; signedTxHash: string }) {
    const bytes = await this.options.sealer.open(claim.sealedTx, { chain, pendingId });
    if (signedTxHash(bytes) !== claim.signedTxHash)
      throw new Error('the recorded transaction does not match its hash');
    return bytes;
  }

  /** Written in the background; a failure is logged (the outcome is told by the reporter anyway). */
  recordOutcome(outcome: Omit<OutcomeRecord, 'replica'>): void {
    const writing: Promise<void> = this.outcomes
      .add({ ...outcome, replica: this.replica })
      .catch((error: unknown) => {
        this.logger.error(
          `Could not record the outcome of ${outcome.chain} ${outcome.pendingId}: ${safeErrorMessage(error)}`,
        );
      })
      .finally(() => this.writing.delete(writing));
    this.writing.add(writing);
  }

  /** Every outcome handed in so far is written (or its failure logged). */
  async settled(): Promise<void> {
    while (this.writing.size) {
      this.outcomes.flush();
      await Promise.all([...this.writing]);
    }
  }

  /** What was written since the last call (the pipeline logs it at debug level after each cycle). */
  stats(): { signed: number; signedCommits: number; outcomes: number; outcomeCommits: number } {
    const counts = this.counts;
    this.counts = { signed: 0, signedCommits: 0, outcomes: 0, outcomeCommits: 0 };
    return counts;
  }

  close(): Promise<void> {
    return this.options.journal.close();
  }

  private async writeSigned(records: SignedRecord[]): Promise<Array<Error | undefined>> {
    this.counts.signed += records.length;
    this.counts.signedCommits++;
    try {
      await this.options.journal.recordSignedMany(records);
      return [];
    } catch (error) {
      if (!(error instanceof JournalRecordRefusedError)) throw error;
      const refused = new Map(
        error.refused.map((item) => [JSON.stringify([item.chain, item.pendingId]), item.reason]),
      );
      return records.map((record) => {
        const reason = refused.get(JSON.stringify([record.chain, record.pendingId]));
        return reason === undefined ? undefined : new SignedRecordRefusedError(reason);
      });
    }
  }
}

/** sha256 (hex) of the signed bytes in clear: what `journal list` shows and never changes per id. */
export function signedTxHash(signedTx: string): string {
  return createHash('sha256').update(signedTx).digest('hex');
}
