import { KmsError } from '@kms/common';

/** Why a FLOW transaction built from a Tatum pending transaction did not end sealed. */
export type FlowSubmissionFailure =
  /** The access node or Tatum answered something their APIs do not define. */
  | 'NODE_ANSWER'
  /** The access node refused the transaction (it never ran): a new attempt is safe. */
  | 'REJECTED'
  /** It was sealed with an execution error (fees were paid, nothing else happened). */
  | 'FAILED'
  /** It expired before any block took it: it never will, a new attempt is safe. */
  | 'EXPIRED'
  /** Not sealed in time: it may still be, so the next attempt checks it before building another. */
  | 'TIMEOUT';

/**
 * A FLOW transaction that was not sealed successfully. `code` is `FLOW_<failure>`; the message names
 * the transaction id (public) when there is one, never a key.
 */
export class FlowSubmissionError extends KmsError {
  constructor(
    readonly failure: FlowSubmissionFailure,
    readonly txId: string | undefined,
    detail: string,
  ) {
    super(`FLOW_${failure}`, `FLOW transaction${txId === undefined ? '' : ` ${txId}`}: ${detail}`);
  }
}

/** The wallet's key is not an active key of the account that must authorize the transaction. */
export class FlowAccountKeyError extends KmsError {
  constructor(account: string, detail: string) {
    super('FLOW_ACCOUNT_KEY', `FLOW account 0x${account}: ${detail}`);
  }
}
