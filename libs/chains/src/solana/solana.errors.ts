import { KmsError } from '@kms/common';

/** Why a signed SOL transaction did not end confirmed. */
export type SolanaSubmissionFailure =
  /** The node answered something that is not what the JSON-RPC API defines. */
  | 'NODE_ANSWER'
  /** The transaction landed and failed (its status carries an error): nothing to retry as is. */
  | 'FAILED'
  /** Its blockhash expired before it landed: it never will, a new attempt is safe. */
  | 'EXPIRED'
  /** Not confirmed in time: it may still land, so check the signature before any new attempt. */
  | 'TIMEOUT';

/**
 * A SOL transaction that was signed but not confirmed. `code` is `SOL_<failure>`; the message names
 * the transaction signature (public) when there is one, never a key.
 */
export class SolanaSubmissionError extends KmsError {
  constructor(
    readonly failure: SolanaSubmissionFailure,
    readonly signature: string | undefined,
    detail: string,
  ) {
    super(`SOL_${failure}`, `SOL transaction${signature === undefined ? '' : ` ${signature}`}: ${detail}`);
  }
}
