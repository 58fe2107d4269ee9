import { KmsError } from '@kms/common';
import { FOUR_EYE_REQUIRED_MESSAGE } from './four-eye.messages';

/** The daemon was started on mainnet without an approval server (--externalUrl). */
export class FourEyeRequiredError extends KmsError {
  constructor() {
    super('FOUR_EYE_REQUIRED', FOUR_EYE_REQUIRED_MESSAGE);
  }
}

/** For callers that turn a denial into an error (log line or error report); carries the safe reason. */
export class ApprovalDeniedError extends KmsError {
  constructor(
    readonly transactionId: string,
    readonly reason: string,
  ) {
    super('APPROVAL_DENIED', `Transaction ${transactionId} was not approved: ${reason}`);
  }
}
