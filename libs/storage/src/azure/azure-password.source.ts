import type { AzureSettings } from './azure.settings';
import { PasswordRequiredError } from '../storage.errors';
import type { PasswordSource } from '../wallet-store.port';
import { azureStatus } from './azure-failure';
import { AzureKeyVaultConnection, type AzureConnectionOptions } from './azure-key-vault.connection';

/**
 * The store password kept in Azure Key Vault (`--azure`), as tatum-kms reads it: the secret
 * TATUM_KMS_AZURE_SECRETNAME, at TATUM_KMS_AZURE_SECRETVERSION when set (else its current version),
 * in the vault TATUM_KMS_AZURE_VAULTURL. tatum-kms called the REST API with a token of its own; this
 * uses the official SDK and the same credentials as the azure store (service principal from
 * TATUM_KMS_AZURE_TENANT_ID/_CLIENT_ID/_CLIENT_SECRET, else DefaultAzureCredential).
 *
 * Read once per run; a failed read is not cached, so a later call asks again. A missing secret, a
 * deleted one or an empty value fail with PASSWORD_REQUIRED; an unreachable vault or refused
 * credentials with VAULT_ERROR. A wrong password is found out by the store, like a typed one.
 */
export class AzurePasswordSource implements PasswordSource {
  readonly origin: string;
  readonly #connection: AzureKeyVaultConnection;
  private readonly secretName?: string;
  private readonly version?: string;
  private answer?: Promise<string>;

  constructor(config: AzureSettings, options?: AzureConnectionOptions) {
    this.#connection = new AzureKeyVaultConnection(config, options);
    this.secretName = config.azureSecretName || undefined;
    this.version = config.azureSecretVersion || undefined;
    this.origin = `Azure Key Vault secret ${this.secretName ?? '(TATUM_KMS_AZURE_SECRETNAME unset)'} in ${this.#connection.host}`;
  }

  /** HTTP requests made so far. */
  get calls(): number {
    return this.#connection.calls;
  }

  password(): Promise<string> {
    this.answer ??= this.read().catch((error: unknown) => {
      this.answer = undefined;
      throw error;
    });
    return this.answer;
  }

  private async read(): Promise<string> {
    const name = this.secretName;
    if (!name)
      throw new PasswordRequiredError(
        '--azure needs TATUM_KMS_AZURE_SECRETNAME: the name of the Key Vault secret that holds the password',
      );
    const label = this.version ? `${name} (version ${this.version})` : name;
    let value: string | undefined;
    try {
      const secret = await this.#connection.send((client) =>
        client.getSecret(name, { version: this.version }),
      );
      value = secret.value;
    } catch (error) {
      if (azureStatus(error) === 404)
        throw new PasswordRequiredError(
          `Azure Key Vault ${this.#connection.host} has no secret ${label} (missing or deleted): check TATUM_KMS_AZURE_SECRETNAME and TATUM_KMS_AZURE_SECRETVERSION`,
        );
      throw this.#connection.failure(error, 'reading the password secret', label);
    }
    if (!value)
      throw new PasswordRequiredError(
        `The Azure Key Vault secret ${label} that should hold the password is empty`,
      );
    return value;
  }
}
