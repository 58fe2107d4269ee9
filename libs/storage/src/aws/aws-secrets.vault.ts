import type { Filter, Tag } from '@aws-sdk/client-secrets-manager';
import type { AwsSettings } from './aws.settings';
import { VaultError } from '../storage.errors';
import { WALLET_TAGS, type SecretVault } from '../vault/secret-vault.port';
import {
  SecretsManagerConnection,
  awsErrorName,
  isMissingSecret,
  isScheduledForDeletion,
  type SecretsManagerConnectionOptions,
} from './secrets-manager.connection';

/** ListSecrets' largest page. */
const PAGE_SIZE = 100;
/** What a ListSecrets filter value may hold (and it must not start with `!`, which negates). */
const FILTER_VALUE = /^[a-zA-Z0-9 :_@/+=.-]{1,512}$/;

type Created = 'created' | 'exists' | 'scheduled-for-deletion';

/**
 * SecretVault on AWS Secrets Manager (the `aws` provider): one secret per name, tags as AWS tags.
 *
 * Calls per operation (retries of a throttled or failed request are extra HTTP attempts, not calls):
 * - get: 1 GetSecretValue. Missing, or scheduled for deletion: undefined.
 * - put: 1 CreateSecret with the tags; if the secret exists, PutSecretValue + TagResource (3 calls;
 *   tags are added or overwritten, never removed); if it is scheduled for deletion, RestoreSecret first.
 * - createIfAbsent: 1 CreateSecret.
 * - delete: 1 DeleteSecret without recovery window (the name is free again at once).
 * - list: 1 ListSecrets per page of up to 100 secrets; names and tags only, never values.
 *
 * Listing filters on the service side by name prefix and one tag pair, then exactly on the client:
 * AWS filters match prefixes, and `tag-key`/`tag-value` match any key and any value independently,
 * so the service's answer is a superset. The pair sent is the most selective one (see `serverPair`).
 * ListSecrets is eventually consistent: a secret created a moment ago may not be listed yet.
 */
export class AwsSecretsVault implements SecretVault {
  readonly #aws: SecretsManagerConnection;

  constructor(
    private readonly config: AwsSettings,
    options: SecretsManagerConnectionOptions = {},
  ) {
    this.#aws = new SecretsManagerConnection(config, options);
  }

  /** Operations sent to Secrets Manager so far. */
  get calls(): number {
    return this.#aws.calls;
  }

  /** HTTP requests made so far (calls plus their retries). */
  get attempts(): number {
    return this.#aws.attempts;
  }

  describe(): { type: string; location: string } {
    const region = this.config.awsRegion ?? 'default region';
    return { type: 'aws', location: this.config.awsEndpoint ? `${region} at ${this.#aws.target()}` : region };
  }

  async get(name: string): Promise<string | undefined> {
    try {
      const answer = await this.#aws.send((sdk, client) =>
        client.send(new sdk.GetSecretValueCommand({ SecretId: name })),
      );
      if (answer.SecretString !== undefined) return answer.SecretString;
      return answer.SecretBinary ? Buffer.from(answer.SecretBinary).toString('utf8') : undefined;
    } catch (error) {
      if (isMissingSecret(error)) return undefined;
      throw this.#aws.failure(error, 'GetSecretValue', name);
    }
  }

  async put(name: string, value: string, tags: Readonly<Record<string, string>>): Promise<void> {
    const created = await this.create(name, value, tags);
    if (created === 'created') return;
    if (created === 'scheduled-for-deletion') await this.restore(name);
    await Promise.all([
      this.#aws
        .send((sdk, client) =>
          client.send(new sdk.PutSecretValueCommand({ SecretId: name, SecretString: value })),
        )
        .catch((error: unknown) => Promise.reject(this.#aws.failure(error, 'PutSecretValue', name))),
      this.#aws
        .send((sdk, client) =>
          client.send(new sdk.TagResourceCommand({ SecretId: name, Tags: toAwsTags(tags) })),
        )
        .catch((error: unknown) => Promise.reject(this.#aws.failure(error, 'TagResource', name))),
    ]);
  }

  async createIfAbsent(
    name: string,
    value: string,
    tags: Readonly<Record<string, string>>,
  ): Promise<boolean> {
    const created = await this.create(name, value, tags);
    if (created === 'scheduled-for-deletion') {
      throw new VaultError(
        'aws',
        `secret ${name} is scheduled for deletion: restore it (RestoreSecret) or delete it without recovery first`,
      );
    }
    return created === 'created';
  }

  async delete(name: string): Promise<void> {
    try {
      await this.#aws.send((sdk, client) =>
        client.send(new sdk.DeleteSecretCommand({ SecretId: name, ForceDeleteWithoutRecovery: true })),
      );
    } catch (error) {
      if (isMissingSecret(error)) return;
      throw this.#aws.failure(error, 'DeleteSecret', name);
    }
  }

  async *list(
    prefix: string,
    tags: Readonly<Record<string, string>> = {},
  ): AsyncIterable<{ name: string; tags: Record<string, string> }> {
    const wanted = Object.entries(tags);
    const filters: Filter[] = [];
    if (FILTER_VALUE.test(prefix)) filters.push({ Key: 'name', Values: [prefix] });
    const pair = serverPair(wanted, prefix);
    if (pair) filters.push({ Key: 'tag-key', Values: [pair[0]] }, { Key: 'tag-value', Values: [pair[1]] });
    let nextToken: string | undefined;
    do {
      let page;
      try {
        page = await this.#aws.send((sdk, client) =>
          client.send(
            new sdk.ListSecretsCommand({
              Filters: filters.length ? filters : undefined,
              MaxResults: PAGE_SIZE,
              NextToken: nextToken,
              IncludePlannedDeletion: false,
            }),
          ),
        );
      } catch (error) {
        throw this.#aws.failure(error, 'ListSecrets');
      }
      for (const secret of page.SecretList ?? []) {
        if (!secret.Name?.startsWith(prefix) || secret.DeletedDate) continue;
        const found = fromAwsTags(secret.Tags);
        if (wanted.every(([key, value]) => found[key] === value)) yield { name: secret.Name, tags: found };
      }
      nextToken = page.NextToken || undefined;
    } while (nextToken);
  }

  private async create(
    name: string,
    value: string,
    tags: Readonly<Record<string, string>>,
  ): Promise<Created> {
    try {
      await this.#aws.send((sdk, client) =>
        client.send(new sdk.CreateSecretCommand({ Name: name, SecretString: value, Tags: toAwsTags(tags) })),
      );
      return 'created';
    } catch (error) {
      if (awsErrorName(error) === 'ResourceExistsException') return 'exists';
      if (isScheduledForDeletion(error)) return 'scheduled-for-deletion';
      throw this.#aws.failure(error, 'CreateSecret', name);
    }
  }

  private async restore(name: string): Promise<void> {
    try {
      await this.#aws.send((sdk, client) => client.send(new sdk.RestoreSecretCommand({ SecretId: name })));
    } catch (error) {
      throw this.#aws.failure(error, 'RestoreSecret', name);
    }
  }
}

function toAwsTags(tags: Readonly<Record<string, string>>): Tag[] {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}

function fromAwsTags(tags: Tag[] | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const { Key, Value } of tags ?? []) if (Key !== undefined) result[Key] = Value ?? '';
  return result;
}

/**
 * The one tag pair worth sending as a service-side filter: AWS ANDs different filter keys but not
 * several pairs, so only one pair narrows the listing. Tags every wallet carries (WALLET_TAGS, or a
 * value equal to the name prefix) narrow nothing and booleans little, so a pair such as the chain is
 * preferred; a value the filter syntax cannot express is left to the client-side check.
 */
function serverPair(wanted: Array<[string, string]>, prefix: string): [string, string] | undefined {
  const usable = wanted.filter(([key, value]) => FILTER_VALUE.test(key) && FILTER_VALUE.test(value));
  const rank = ([key, value]: [string, string]): number =>
    (WALLET_TAGS as Record<string, string>)[key] === value || value === prefix
      ? 2
      : /^(true|false)$/.test(value)
        ? 1
        : 0;
  return usable.sort((a, b) => rank(a) - rank(b))[0];
}
