import { engines } from '../../../../package.json';

/** The oldest Node.js this KMS supports, from package.json's `engines.node` (`>=22.13`). */
export const MINIMUM_NODE: string = engines.node.replace(/^>=\s*/, '');

/** True when `version` (e.g. `24.1.0`) is at least `minimum` (e.g. `22.13`), compared part by part. */
export function nodeVersionAtLeast(version: string, minimum: string = MINIMUM_NODE): boolean {
  const parts = (text: string) => text.split('.').map((part) => Number.parseInt(part, 10) || 0);
  const [have, need] = [parts(version), parts(minimum)];
  for (let i = 0; i < Math.max(have.length, need.length); i++) {
    if ((have[i] ?? 0) !== (need[i] ?? 0)) return (have[i] ?? 0) > (need[i] ?? 0);
  }
  return true;
}
