import { readFileSync } from 'node:fs';
import { parse } from 'dotenv';
import { InvalidConfigError } from './config.errors';

export type Environment = Readonly<Record<string, string | undefined>>;

/**
 * The variables of one run: those of `env` (the process environment) win over those of the env file,
 * as with dotenv, which tatum-kms uses. A missing env file is no error (the default one is optional);
 * an unreadable one is, naming the file, never its content.
 */
export function loadEnvironment(envFile: string, env: Environment): Record<string, string | undefined> {
  let text: string;
  try {
    text = readFileSync(envFile, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { ...env };
    throw new InvalidConfigError([`--envFile ${envFile} cannot be read (${code ?? 'error'})`]);
  }
  return { ...parse(text), ...definedOnly(env) };
}

function definedOnly(env: Environment): Record<string, string> {
  const defined: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) if (value !== undefined) defined[name] = value;
  return defined;
}
