import { KmsError, safeErrorMessage } from '@kms/common';

/** The keys of a pending transaction cannot be resolved from the store (PROTOCOL.md §4). */
export class KeyResolutionError extends KmsError {
  constructor(
    code:
      | 'INDEX_REQUIRED'
      | 'INDEX_NOT_ALLOWED'
      | 'WALLET_NOT_ALLOWED'
      | 'UNKNOWN_WALLET'
      | 'WRONG_CHAIN'
      | 'NO_KEYS',
    message: string,
  ) {
    super(code, message);
  }
}

export class BroadcastFailedError extends KmsError {
  constructor(txId?: string) {
    super(
      'BROADCAST_FAILED',
      `The Tatum API reported the broadcast as failed${txId ? ` (txId ${txId})` : ''}`,
    );
  }
}

/**
 * The call that hands a sent transaction to the Tatum API failed. `onChainId` is set for a signer
 * that submits itself (SOL, FLOW): that transaction is on chain and only its report is repeated.
 * Otherwise the signed bytes of an earlier cycle were broadcast again. Nothing new is signed
 * for the pending transaction while the process runs.
 */
export class CompletionFailedError extends KmsError {
  constructor(chain: string, onChainId: string | undefined, cause: unknown) {
    const what =
      onChainId !== undefined
        ? `${chain} transaction ${onChainId} is on chain, but reporting it to the Tatum API failed`
        : 'the transaction signed for it in an earlier cycle was broadcast again (same bytes) and that failed';
    super(
      'COMPLETION_FAILED',
      `${what}; it is sent again next cycle, never signed again: ${safeErrorMessage(cause)}`,
      { cause },
    );
  }
}

/** Too many sent transactions wait for the API's acknowledgement: nothing new is signed meanwhile. */
export class SubmissionMemoryFullError extends KmsError {
  constructor() {
    super(
      'TOO_MANY_UNACKNOWLEDGED',
      'Not signed: too many transactions sent by this daemon are not yet acknowledged by the Tatum API; signing resumes as they are',
    );
  }
}
