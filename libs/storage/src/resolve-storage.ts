import { maskSecret, maskUrl } from '@kms/common';
import { InvalidConfigError, type FlagTable, type KmsConfig, type KmsFlags } from '@kms/config';
import { envValue } from './provider-settings';
import type { AnyStorageProvider, SettingsEnv } from './storage-provider';

/** The settings every vault store shares (not the file store's): names of secrets, listing cache. */
const DEFAULT_SECRET_PREFIX = 'tatum-kms-';
const DEFAULT_LIST_TTL_SECONDS = 60;
const SECRET_PREFIX = /^[A-Za-z0-9/_+=.@-]{1,64}$/;

/**
 * The storage of one run, settled before Nest boots: the providers known, the one chosen as the
 * store, where the password comes from, and every provider's parsed and validated settings.
 */
export interface ResolvedStorage {
  readonly providers: readonly AnyStorageProvider[];
  /** The provider of the store (--storage / TATUM_KMS_STORAGE). */
  readonly store: AnyStorageProvider;
  /** `env` (TATUM_KMS_PASSWORD), `prompt`, or the type of the vault whose password flag was given. */
  readonly passwordSource: string;
  /** The vault whose password flag was given (`--aws`), if any. */
  readonly passwordVault?: AnyStorageProvider;
  /** TATUM_KMS_SECRET_PREFIX: name prefix of every secret a vault store writes. */
  readonly secretPrefix: string;
  /** TATUM_KMS_VAULT_LIST_TTL: seconds a vault store reuses its listing of wallet ids. */
  readonly listTtlSeconds: number;
  /** The provider of `type` (lower case), or undefined. */
  provider(type: string): AnyStorageProvider | undefined;
  /** The parsed settings of the provider of `type`. */
  settings(type: string): unknown;
  /** `checkconfig`'s rows for the storage variables: [name, value as it may be shown]. */
  readonly shown: Array<[string, string]>;
}

/** The flags the providers add to the command line (each vault's password flag, boolean). */
export function storageFlags(providers: readonly AnyStorageProvider[]): FlagTable {
  const flags: Record<string, 'boolean'> = {};
  for (const { passwordFlag } of providers) if (passwordFlag) flags[passwordFlag.name] = 'boolean';
  return flags;
}

/** `a`, `a or b`, `a, b or c`. */
export function listing(items: readonly string[], last = 'or'): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} ${last} ${items.at(-1)}`;
}

/**
 * Reads and checks the storage settings of one run from its flags and variables (`env`: the process
 * environment over the env files). Every provider's settings are validated, chosen or not, so an
 * invalid value stops every command with one InvalidConfigError naming each bad setting (never its
 * value). Also refuses a list with two providers of one type or one password flag.
 */
export function resolveStorage(
  providers: readonly AnyStorageProvider[],
  flags: KmsFlags,
  env: SettingsEnv,
  config: Pick<KmsConfig, 'storage' | 'walletPath' | 'password'>,
): ResolvedStorage {
  assertDistinct(providers);
  const problems: string[] = [];
  const byType = new Map(providers.map((provider) => [provider.type, provider]));
  const store = byType.get(config.storage);
  if (!store)
    problems.push(
      `--storage / TATUM_KMS_STORAGE must be one of ${providers.map(({ type }) => type).join(', ')}`,
    );

  const withFlag = providers.filter(({ passwordFlag }) => passwordFlag);
  const chosen = withFlag.filter(({ passwordFlag }) => flags[passwordFlag!.name] === true);
  const flagNames = (list: readonly AnyStorageProvider[]) =>
    list.map(({ passwordFlag }) => `--${passwordFlag!.name}`);
  if (chosen.length > 1)
    problems.push(
      `${listing(flagNames(withFlag), 'and')} are exclusive (got ${flagNames(chosen).join(', ')})`,
    );

  const settings = new Map<string, unknown>();
  for (const provider of providers) {
    const parsed = provider.parse(env, { walletPath: config.walletPath });
    settings.set(provider.type, parsed);
    problems.push(...provider.validate(parsed));
  }

  const secretPrefix = envValue(env, 'TATUM_KMS_SECRET_PREFIX') ?? DEFAULT_SECRET_PREFIX;
  if (!SECRET_PREFIX.test(secretPrefix))
    problems.push('TATUM_KMS_SECRET_PREFIX must be 1-64 letters, digits or /_+=.@-');
  const ttl = envValue(env, 'TATUM_KMS_VAULT_LIST_TTL');
  const listTtlSeconds = ttl === undefined ? DEFAULT_LIST_TTL_SECONDS : Number(ttl);
  if (!(Number.isFinite(listTtlSeconds) && listTtlSeconds >= 0 && listTtlSeconds <= 86_400))
    problems.push('TATUM_KMS_VAULT_LIST_TTL must be a number of seconds from 0 to 86400');

  if (problems.length) throw new InvalidConfigError(problems);
  const passwordVault = chosen[0];
  return {
    providers,
    store: store!,
    passwordSource: passwordVault?.type ?? (config.password !== undefined ? 'env' : 'prompt'),
    passwordVault,
    secretPrefix,
    listTtlSeconds,
    provider: (type) => byType.get(type.toLowerCase()),
    settings: (type) => settings.get(type.toLowerCase()),
    shown: [
      ['TATUM_KMS_STORAGE', env.TATUM_KMS_STORAGE || 'N/A'],
      ['TATUM_KMS_SECRET_PREFIX', env.TATUM_KMS_SECRET_PREFIX || 'N/A'],
      ['TATUM_KMS_VAULT_LIST_TTL', env.TATUM_KMS_VAULT_LIST_TTL || 'N/A'],
      ...providers.flatMap(({ settings: declared }) =>
        declared.map(({ env: name, shown }): [string, string] => [
          name,
          shown === 'secret'
            ? maskSecret(env[name])
            : shown === 'url'
              ? maskUrl(env[name])
              : env[name] || 'N/A',
        ]),
      ),
    ],
  };
}

function assertDistinct(providers: readonly AnyStorageProvider[]): void {
  const seen = new Set<string>();
  for (const { type, passwordFlag } of providers) {
    for (const key of [`type ${type}`, ...(passwordFlag ? [`flag --${passwordFlag.name}`] : [])]) {
      if (seen.has(key)) throw new InvalidConfigError([`two storage providers declare the ${key}`]);
      seen.add(key);
    }
  }
}
