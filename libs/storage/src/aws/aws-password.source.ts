import type { AwsSettings } from './aws.settings';
import { PasswordRequiredError } from '../storage.errors';
import type { PasswordSource } from '../wallet-store.port';
import {
  SecretsManagerConnection,
  isMissingSecret,
  type SecretsManagerConnectionOptions,
} from './secrets-manager.connection';

/**
 * The `--aws` password source of tatum-kms: GetSecretValue(TATUM_KMS_AWS_SECRET_NAME), whose
 * SecretString is a JSON object holding the password under TATUM_KMS_AWS_SECRET_KEY (one call).
 *
 * A missing setting, a missing or deleted secret, a value that is not a JSON object, a missing key or
 * an empty password is PasswordRequiredError; a vault that cannot be reached or refuses the
 * credentials is VaultError. Neither message quotes the secret's value. The password is fetched at
 * most once per instance; a failed fetch is not remembered, so a later request may try again.
 */
export class AwsPasswordSource implements PasswordSource {
  readonly origin = 'aws';
  readonly #aws: SecretsManagerConnection;
  private answer?: Promise<string>;

  constructor(
    private readonly config: AwsSettings,
    options: SecretsManagerConnectionOptions = {},
  ) {
    this.#aws = new SecretsManagerConnection(config, options);
  }

  password(): Promise<string> {
    this.answer ??= this.fetch().catch((error: unknown) => {
      this.answer = undefined;
      throw error;
    });
    return this.answer;
  }

  private async fetch(): Promise<string> {
    const { awsSecretName: name, awsSecretKey: key } = this.config;
    if (!name || !key) {
      const unset = [!name && 'TATUM_KMS_AWS_SECRET_NAME', !key && 'TATUM_KMS_AWS_SECRET_KEY'].filter(
        Boolean,
      );
      throw new PasswordRequiredError(`The --aws password source needs ${unset.join(' and ')}`);
    }
    let text: string | undefined;
    try {
      const answer = await this.#aws.send((sdk, client) =>
        client.send(new sdk.GetSecretValueCommand({ SecretId: name })),
      );
      text = answer.SecretString;
    } catch (error) {
      if (isMissingSecret(error)) {
        throw new PasswordRequiredError(
          `The password secret ${name} does not exist in AWS Secrets Manager (or is scheduled for deletion)`,
        );
      }
      throw this.#aws.failure(error, 'GetSecretValue', name);
    }
    const where = `The password secret ${name} in AWS Secrets Manager`;
    if (text === undefined) throw new PasswordRequiredError(`${where} has no text value (SecretString)`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new PasswordRequiredError(
        `${where} is not JSON; it must be an object like {"${key}": "<password>"}`,
      );
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new PasswordRequiredError(
        `${where} is not a JSON object; it must be like {"${key}": "<password>"}`,
      );
    }
    if (!Object.prototype.hasOwnProperty.call(parsed, key)) {
      throw new PasswordRequiredError(`${where} has no key "${key}" (TATUM_KMS_AWS_SECRET_KEY)`);
    }
    const password = (parsed as Record<string, unknown>)[key];
    if (typeof password !== 'string')
      throw new PasswordRequiredError(`${where} holds a non-string under "${key}"`);
    if (!password) throw new PasswordRequiredError(`${where} holds an empty password under "${key}"`);
    return password;
  }
}
