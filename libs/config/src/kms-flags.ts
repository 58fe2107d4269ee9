import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Every flag of the CLI. As with tatum-kms (meow), each is accepted on every command and in any
 * position; a command ignores the ones it does not use. String flags take `--name value` or
 * `--name=value`; boolean flags are `--name`, `--name=true|false`, `--no-name`.
 */
export const FLAG_TYPES = {
  apiKey: 'string',
  testnet: 'boolean',
  path: 'string',
  period: 'string',
  chain: 'string',
  envFile: 'string',
  aws: 'boolean',
  azure: 'boolean',
  vgs: 'boolean',
  storage: 'string',
  externalUrl: 'string',
  externalUrlMethod: 'string',
  runOnce: 'boolean',
  wallets: 'string',
  transactionIds: 'string',
  metricsPort: 'string',
  policy: 'string',
  pending: 'string',
  from: 'string',
  to: 'string',
  since: 'string',
  outcome: 'string',
  withTx: 'boolean',
} as const;

export type FlagName = keyof typeof FLAG_TYPES;

/** The flags of one command line: strings as given, booleans as set; absent flags are undefined. */
export type KmsFlags = {
  -readonly [Name in FlagName]?: (typeof FLAG_TYPES)[Name] extends 'boolean' ? boolean : string;
};

/** `~/.tatumrc`, where tatum-kms keeps its wallet file and env file; `~` is the run's HOME. */
export function tatumrcFolder(env: Readonly<Record<string, string | undefined>>): string {
  return join(env.HOME || homedir(), '.tatumrc');
}
export const defaultEnvFile = (env: Readonly<Record<string, string | undefined>>): string =>
  join(tatumrcFolder(env), '.env');
export const defaultWalletPath = (env: Readonly<Record<string, string | undefined>>): string =>
  join(tatumrcFolder(env), 'wallet.dat');
