import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AzureSettings } from './azure.settings';
import type { SecretVault } from '../vault/secret-vault.port';
import { azureStatus } from './azure-failure';
import { AzureKeyVaultConnection, type AzureConnectionOptions } from './azure-key-vault.connection';

/** Key Vault secret names: 1-127 letters, digits and dashes. */
const AZURE_NAME = /^[0-9A-Za-z-]{1,127}$/;
/** The tag holding the original name of a secret whose name had to be rewritten (see `azureName`). */
const NAME_TAG = 'kms-name';
/** Secrets per listing page (Key Vault's maximum). */
const PAGE_SIZE = 25;
/** Attempts to take back a name held by a deleted secret (purge or recover, then set again). */
const RECLAIM_ATTEMPTS = 8;

/**
 * Azure Key Vault as a SecretVault (`--storage azure`): one secret per name, tags as Key Vault tags.
 *
 * - get: GET /secrets/{name}; missing, deleted or purged reads as undefined.
 * - put: PUT /secrets/{name} (a new version). A name held by a soft-deleted secret (409) is purged,
 *   or recovered where purging is not allowed, and set again.
 * - delete: DELETE /secrets/{name}, then waits until the deletion completed and purges it, best
 *   effort (purge protection or a missing purge permission leave it soft-deleted; put copes).
 * - list: GET /secrets by pages of 25, names and tags only (never a value); prefix and tags are
 *   filtered here, as Key Vault cannot filter by either.
 *
 * Names that Key Vault does not allow (`_`, `.`, too long) are stored under a legal name derived
 * from them (sanitised + a hash) with the original in the `kms-name` tag, which listing reads back.
 * Every failure other than "missing" is a VaultError without credentials or values.
 */
export class AzureKeyVault implements SecretVault {
  readonly #connection: AzureKeyVaultConnection;

  constructor(config: AzureSettings, options?: AzureConnectionOptions) {
    this.#connection = new AzureKeyVaultConnection(config, options);
  }

  /** HTTP requests made so far (vault and token endpoint, retries included). */
  get calls(): number {
    return this.#connection.calls;
  }

  describe(): { type: string; location: string } {
    return { type: 'azure', location: this.#connection.host };
  }

  async get(name: string): Promise<string | undefined> {
    try {
      const secret = await this.#connection.send((client) => client.getSecret(azureName(name)));
      return secret.value;
    } catch (error) {
      if (azureStatus(error) === 404) return undefined;
      throw this.#connection.failure(error, 'reading secret', name);
    }
  }

  async put(name: string, value: string, tags: Readonly<Record<string, string>>): Promise<void> {
    const stored = azureName(name);
    const allTags = stored === name ? { ...tags } : { ...tags, [NAME_TAG]: name };
    for (let attempt = 1; ; attempt++) {
      try {
        await this.#connection.send((client) => client.setSecret(stored, value, { tags: allTags }));
        return;
      } catch (error) {
        if (azureStatus(error) !== 409 || attempt >= RECLAIM_ATTEMPTS)
          throw this.#connection.failure(error, 'writing secret', name);
      }
      await this.reclaim(stored, name, attempt);
    }
  }

  async delete(name: string): Promise<void> {
    const stored = azureName(name);
    try {
      await this.#connection.send(async (client) => {
        const poller = await client.beginDeleteSecret(stored, { intervalInMs: 250 });
        await poller.pollUntilDone();
      });
    } catch (error) {
      if (azureStatus(error) === 404) return;
      throw this.#connection.failure(error, 'deleting secret', name);
    }
    await this.purge(stored);
  }

  async *list(
    prefix: string,
    tags: Readonly<Record<string, string>> = {},
  ): AsyncIterable<{ name: string; tags: Record<string, string> }> {
    const wanted = Object.entries(tags);
    let pages: AsyncIterator<Array<{ name: string; tags?: Record<string, string> }>> | undefined;
    for (;;) {
      let page: IteratorResult<Array<{ name: string; tags?: Record<string, string> }>>;
      try {
        page = await this.#connection.send((client) =>
          (pages ??= client
            .listPropertiesOfSecrets()
            .byPage({ maxPageSize: PAGE_SIZE })
            [Symbol.asyncIterator]()).next(),
        );
      } catch (error) {
        throw this.#connection.failure(error, 'listing secrets');
      }
      if (page.done) return;
      for (const properties of page.value) {
        const { [NAME_TAG]: original, ...own } = properties.tags ?? {};
        const name = original ?? properties.name;
        if (name.startsWith(prefix) && wanted.every(([key, value]) => own[key] === value))
          yield { name, tags: own };
      }
    }
  }

  /**
   * Frees a name held by a soft-deleted secret: purge it; where purging is refused (purge protection,
   * no purge permission), recover it instead so that set can write a new version over it. A deletion
   * still in progress (409 again) is waited for.
   */
  private async reclaim(stored: string, name: string, attempt: number): Promise<void> {
    try {
      await this.#connection.send((client) => client.purgeDeletedSecret(stored));
    } catch (error) {
      const status = azureStatus(error);
      if (status === 403) {
        try {
          await this.#connection.send(async (client) =>
            (await client.beginRecoverDeletedSecret(stored, { intervalInMs: 250 })).pollUntilDone(),
          );
        } catch (recoverError) {
          if (azureStatus(recoverError) !== 404 && azureStatus(recoverError) !== 409)
            throw this.#connection.failure(recoverError, 'recovering deleted secret', name);
        }
      } else if (status !== 404 && status !== 409) {
        throw this.#connection.failure(error, 'purging deleted secret', name);
      }
    }
    if (attempt > 1) await sleep(Math.min(250 * 2 ** (attempt - 2), 4_000));
  }

  /** Purges a just-deleted secret, best effort: failures leave it soft-deleted (put reclaims the name). */
  private async purge(stored: string): Promise<void> {
    for (let attempt = 1; attempt <= 3; attempt++) {
      try {
        await this.#connection.send((client) => client.purgeDeletedSecret(stored));
        return;
      } catch (error) {
        if (azureStatus(error) !== 409) return;
        await sleep(250 * attempt);
      }
    }
  }
}

/**
 * The Key Vault name for a vault-store name: the name itself when Key Vault allows it (every name the
 * KMS writes by default: `tatum-kms-<uuid>`), else a legal, stable and practically unique stand-in.
 */
export function azureName(name: string): string {
  if (AZURE_NAME.test(name)) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 32);
  return `${name.replace(/[^0-9A-Za-z-]/g, '-').slice(0, 127 - 33)}-${hash}`;
}
