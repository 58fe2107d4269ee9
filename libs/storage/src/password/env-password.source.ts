import { PasswordRequiredError } from '../storage.errors';
import type { PasswordSource } from '../wallet-store.port';

/**
 * The password from the environment variable TATUM_KMS_PASSWORD. The caller (config) passes the
 * variable's value; an unset or empty value fails only when the password is actually needed.
 */
export class EnvPasswordSource implements PasswordSource {
  readonly origin = 'environment variable TATUM_KMS_PASSWORD';
  readonly #value: string | undefined;

  constructor(value: string | undefined) {
    this.#value = value;
  }

  async password(): Promise<string> {
    if (!this.#value) {
      throw new PasswordRequiredError(
        'The wallet store password is required: TATUM_KMS_PASSWORD is not set or empty',
      );
    }
    return this.#value;
  }
}
