import type { PasswordSource, WalletStore } from './wallet-store.port';

/** The variables of one run (process environment over the env files), as @kms/config loads them. */
export type SettingsEnv = Readonly<Record<string, string | undefined>>;

/**
 * One environment variable a provider reads, and how `checkconfig` shows it: `secret` as set / N/A
 * only, `url` with credentials and query values masked, `plain` as it is.
 */
export interface ProviderSetting {
  readonly env: string;
  readonly shown: 'secret' | 'url' | 'plain';
}

/** What every provider's settings are read with: facts of the run that are not the provider's own. */
export interface SettingsContext {
  /** The wallet file (--path): providers that keep a local file (an index) default to its folder. */
  readonly walletPath: string;
}

/** What a provider's store is opened with besides its own settings. */
export interface StoreContext {
  readonly walletPath: string;
  /** Name prefix of every secret a vault store writes (TATUM_KMS_SECRET_PREFIX). */
  readonly secretPrefix: string;
  /** How long a vault store reuses its listing of wallet ids (TATUM_KMS_VAULT_LIST_TTL), in ms. */
  readonly listTtlMs: number;
  /** Tells the operator something they should act on (stderr in the CLI), never a secret. */
  warn(message: string): void;
}

/**
 * A provider's implementation: the module its descriptor imports lazily, only when the provider is
 * chosen (as the store, or as the password source by its flag), so its SDKs never load otherwise.
 */
export interface StorageImplementation<Settings> {
  /** A new, still locked store: it unlocks itself (asking `passwords`) on first use. */
  openStore(settings: Settings, passwords: PasswordSource, context: StoreContext): WalletStore;
  /** The source that reads the store password from this vault (its `passwordFlag`); nothing is read yet. */
  openPasswordSource?(settings: Settings): PasswordSource;
}

/**
 * Everything the KMS knows of one wallet store provider, declared in the provider's folder: the
 * configuration (flags, environment, help, `checkconfig`) derives from the list of these. `parse`
 * never fails; `validate` names each bad variable (never its value) and runs at every start, so an
 * invalid setting stops every command, not only those that open the store. A setting that is only
 * required when the provider is used is checked by the implementation when it is used.
 */
export interface StorageProvider<Settings = unknown> {
  /** The `--storage` / TATUM_KMS_STORAGE value, lower case (`aws`). */
  readonly type: string;
  /** What it is, for help texts (`AWS Secrets Manager`). */
  readonly title: string;
  /** The variables it reads, in the order `checkconfig` lists them. */
  readonly settings: readonly ProviderSetting[];
  /** The boolean flag (`--aws`) that reads the store password from this vault, as tatum-kms has it. */
  readonly passwordFlag?: {
    readonly name: string;
    readonly description: string;
    /** tatum-kms's "Wallet store type" when it is used (`AWS`). */
    readonly storeName: string;
  };
  parse(env: SettingsEnv, context: SettingsContext): Settings;
  validate(settings: Settings): string[];
  /** A typed lazy import of the implementation: `() => import('./aws.store')`. */
  load(): Promise<StorageImplementation<Settings>>;
}

/** Declares a provider with its settings type inferred and checked throughout. */
export function defineStorageProvider<Settings>(
  provider: StorageProvider<Settings>,
): StorageProvider<Settings> {
  return provider;
}

/** A provider of any settings type, as lists hold them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyStorageProvider = StorageProvider<any>;
