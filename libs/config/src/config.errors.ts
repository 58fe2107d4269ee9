import { KmsError } from '@kms/common';

/** Lists every invalid setting by its flag or variable name, never by its value. */
export class InvalidConfigError extends KmsError {
  constructor(readonly problems: string[]) {
    super('INVALID_CONFIG', `Invalid configuration: ${problems.join('; ')}`);
  }
}
