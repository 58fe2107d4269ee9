import { Inject } from '@nestjs/common';

/** One pending transaction: Tatum's id, on the chain it was asked for. */
export interface SubmissionKey {
  chain: string;
  pendingId: string;
}

/** What the daemon handed to the Tatum API for one pending transaction. */
export interface Submission {
  /**
   * The txData: signed bytes, sent again exactly as they are; or, for a signer that submits itself
   * (SOL, FLOW), the id of its transaction, which the chain has confirmed.
   */
  txData: string;
  /** The transaction is on chain (a self-submitting signer saw it confirmed): kept whatever the API answers. */
  onChain: boolean;
  /** The Tatum API acknowledged it: its broadcast (or completion) call answered 2xx. */
  acknowledged: boolean;
}

/**
 * The daemon's record of what it sent for each pending transaction, so that no later cycle signs a
 * second transaction for it: while a record exists, the pipeline sends its txData again instead of
 * signing. The in-memory implementation lives as long as the process; a durable one (a journal) can
 * replace it behind this port. Methods are async for that reason.
 */
export interface SubmissionMemory {
  recall(key: SubmissionKey): Promise<Submission | undefined>;
  /** False while too many submissions wait for the API's acknowledgement: nothing new is signed then. */
  hasRoom(): Promise<boolean>;
  /** Records (or replaces) the submission of `key`. */
  remember(key: SubmissionKey, submission: Submission): Promise<void>;
  forget(key: SubmissionKey): Promise<void>;
}

export const SUBMISSION_MEMORY = Symbol('SUBMISSION_MEMORY');
export const InjectSubmissionMemory = (): ParameterDecorator => Inject(SUBMISSION_MEMORY);
