import { KmsError, safeErrorMessage } from '@kms/common';

/** The keys of a pending transaction cannot be resolved from the store (docs/tatum-protocol.md §4). */
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

/**
 * The pending id was signed before for another payload: the API (or something between it and the
 * KMS) serves the same id with a different transaction. Refused, never signed.
 */
export class PayloadConflictError extends KmsError {
  constructor(recordedPayloadHash: string) {
    super(
      'PAYLOAD_CONFLICT',
      `Refused: the payload differs from the one signed for this id (recorded payload hash ${recordedPayloadHash.slice(0, 16)}...); a second transaction is never signed for one pending id`,
    );
  }
}

/** The signing journal's record of this id cannot be read or opened: refused (fail closed). */
export class JournalUnreadableError extends KmsError {
  constructor(reason: string) {
    super(
      'JOURNAL_UNREADABLE',
      `Refused: the signing journal's record of this id cannot be read (${reason}); nothing is signed or sent for it`,
    );
  }
}

/** The journal refused to record the signed transaction (another replica took the id over): not sent. */
export class SignedRecordRefusedError extends KmsError {
  constructor(reason: string) {
    super('SIGNED_RECORD_REFUSED', `Not sent: the signing journal refused to record it (${reason})`);
  }
}

/** The pending transaction's chain cannot check a transaction it recorded before it submitted it. */
export class CannotResubmitError extends KmsError {
  constructor(chain: string) {
    super(
      'CANNOT_RESUBMIT',
      `${chain} recorded a transaction it submits itself, and this signer cannot check it; it is never signed again`,
    );
  }
}
