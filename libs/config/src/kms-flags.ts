import { homedir } from 'node:os';
import { join } from 'node:path';

export type FlagType = 'boolean' | 'string';
/** Flag names (camelCase) and their types. */
export type FlagTable = Readonly<Record<string, FlagType>>;

/**
 * The flags of the KMS itself. As with tatum-kms (meow), each is accepted on every command and in any
 * position; a command ignores the ones it does not use. String flags take `--name value` or
 * `--name=value`; boolean flags are `--name`, `--name=true|false`, `--no-name`. Vault providers add
 * their own (e.g. the flag that reads the store password from their vault) through `flagTable`.
 */
export const CORE_FLAGS = {
  apiKey: 'string',
  testnet: 'boolean',
  path: 'string',
  period: 'string',
  chain: 'string',
  envFile: 'string',
  storage: 'string',
  externalUrl: 'string',
  externalUrlMethod: 'string',
  runOnce: 'boolean',
  wallets: 'string',
  transactionIds: 'string',
  metricsPort: 'string',
  policy: 'string',
  plugins: 'string',
  pending: 'string',
  from: 'string',
  to: 'string',
  chains: 'string',
  json: 'boolean',
  keep: 'boolean',
  since: 'string',
  outcome: 'string',
  withTx: 'boolean',
} as const;

export type CoreFlagName = keyof typeof CORE_FLAGS;

/**
 * The flags of one command line: strings as given, booleans as set; absent flags are undefined. The
 * KMS's own flags are typed; flags that extensions declare are read by name.
 */
export type KmsFlags = {
  -readonly [Name in CoreFlagName]?: (typeof CORE_FLAGS)[Name] extends 'boolean' ? boolean : string;
} & { [extension: string]: string | boolean | undefined };

/**
 * Every flag of the CLI: the KMS's own and those `extra` declares (a vault provider's password flag).
 * An extra flag may not redefine one of the KMS's own.
 */
export function flagTable(extra: FlagTable = {}): FlagTable {
  for (const name of Object.keys(extra))
    if (Object.hasOwn(CORE_FLAGS, name)) throw new Error(`The flag --${name} is the KMS's own`);
  return { ...CORE_FLAGS, ...extra };
}

/** `~/.tatumrc`, where tatum-kms keeps its wallet file and env file; `~` is the run's HOME. */
export function tatumrcFolder(env: Readonly<Record<string, string | undefined>>): string {
  return join(env.HOME || homedir(), '.tatumrc');
}
export const defaultEnvFile = (env: Readonly<Record<string, string | undefined>>): string =>
  join(tatumrcFolder(env), '.env');
export const defaultWalletPath = (env: Readonly<Record<string, string | undefined>>): string =>
  join(tatumrcFolder(env), 'wallet.dat');
