import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

/**
 * The global flags of tatum-kms (PROTOCOL.md §1). They may appear anywhere on the command line, so
 * main.ts reads them before Nest boots (they shape the configuration); each command also declares
 * the ones it accepts so that `--help` lists them and commander rejects unknown flags.
 */
export interface KmsFlags {
  apiKey?: string;
  testnet?: boolean;
  path?: string;
  period?: string;
  chain?: string;
  envFile?: string;
  aws?: boolean;
  azure?: boolean;
  vgs?: boolean;
  storage?: string;
  externalUrl?: string;
  externalUrlMethod?: string;
  runOnce?: boolean;
  wallets?: string;
  transactionIds?: string;
}

const STRING_FLAGS = [
  'apiKey',
  'path',
  'period',
  'chain',
  'envFile',
  'storage',
  'externalUrl',
  'externalUrlMethod',
  'wallets',
  'transactionIds',
] as const;
const BOOLEAN_FLAGS = ['testnet', 'aws', 'azure', 'vgs', 'runOnce'] as const;

/** `~/.tatumrc`, where tatum-kms keeps its wallet file and env file; `~` is the run's HOME. */
export function tatumrcFolder(env: Readonly<Record<string, string | undefined>>): string {
  return join(env.HOME || homedir(), '.tatumrc');
}
export const defaultEnvFile = (env: Readonly<Record<string, string | undefined>>): string =>
  join(tatumrcFolder(env), '.env');
export const defaultWalletPath = (env: Readonly<Record<string, string | undefined>>): string =>
  join(tatumrcFolder(env), 'wallet.dat');

/** Extracts the global flags from argv (`--flag value` or `--flag=value`) and the command name. */
export function parseCommandLine(argv: readonly string[]): { flags: KmsFlags; command?: string } {
  const options: Record<string, { type: 'string' | 'boolean' }> = {};
  for (const name of STRING_FLAGS) options[name] = { type: 'string' };
  for (const name of BOOLEAN_FLAGS) options[name] = { type: 'boolean' };
  const { values, positionals } = parseArgs({
    args: [...argv],
    options,
    strict: false,
    allowPositionals: true,
  });
  const flags: Record<string, unknown> = {};
  for (const name of STRING_FLAGS) if (typeof values[name] === 'string') flags[name] = values[name];
  for (const name of BOOLEAN_FLAGS) if (values[name] !== undefined) flags[name] = values[name] !== false;
  return { flags: flags as KmsFlags, command: positionals[0] };
}
