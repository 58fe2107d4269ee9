import { KmsError } from '@kms/common';

/** A policy file that cannot be used: every problem with its line. */
export class InvalidPolicyError extends KmsError {
  constructor(readonly problems: string[]) {
    super('INVALID_POLICY', `Invalid policy: ${problems.join('; ')}`);
  }
}
