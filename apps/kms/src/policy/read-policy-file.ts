import { readFileSync } from 'node:fs';
import { InvalidArgumentError } from '@kms/common';
import { parsePolicy, type Policy } from '@kms/policy';

/** The policy in `file`, validated (InvalidPolicyError names each problem's line). */
export function readPolicyFile(file: string): Policy {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code ?? 'unreadable';
    throw new InvalidArgumentError(`The policy file ${file} cannot be read (${code})`);
  }
  return parsePolicy(text);
}
