import { KmsError } from '@kms/common';

/** The keys of a pending transaction cannot be resolved from the store (PROTOCOL.md §4). */
export class KeyResolutionError extends KmsError {
  constructor(
    code: 'INDEX_REQUIRED' | 'INDEX_NOT_ALLOWED' | 'WALLET_NOT_FOUND' | 'WRONG_CHAIN' | 'NO_KEYS',
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
