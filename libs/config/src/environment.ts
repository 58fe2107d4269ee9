import { readFileSync } from 'node:fs';
import { parse } from 'dotenv';
import { InvalidConfigError } from './config.errors';

export type Environment = Readonly<Record<string, string | undefined>>;

/**
 * The variables of one run: those of `env` (the process environment) win over those of the env files,
 * and an earlier file wins over a later one, as when dotenv loads them in that order (tatum-kms loads
 * `.env` of the working directory, then its env file). A missing file is no error (both are optional);
 * an unreadable one is, naming the file, never its content.
 */
export function loadEnvironment(
  envFiles: readonly string[],
  env: Environment,
): Record<string, string | undefined> {
  const merged: Record<string, string | undefined> = {};
  for (const file of [...envFiles].reverse()) Object.assign(merged, readEnvFile(file));
  return Object.assign(merged, definedOnly(env));
}

function readEnvFile(file: string): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return {};
    throw new InvalidConfigError([`the env file ${file} cannot be read (${code ?? 'error'})`]);
  }
  return parse(text);
}

function definedOnly(env: Environment): Record<string, string> {
  const defined: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) if (value !== undefined) defined[name] = value;
  return defined;
}
