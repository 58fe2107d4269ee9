import { InvalidIndexError } from '@kms/chains';
import { InvalidArgumentError } from '@kms/common';

const MAX_INDEX = 2 ** 31 - 1;

/** A BIP32 non-hardened child index: a decimal integer 0..2^31-1, or undefined when omitted. */
export function parseIndex(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) > MAX_INDEX) {
    throw new InvalidIndexError(
      `Invalid index ${JSON.stringify(raw)}: expected an integer from 0 to ${MAX_INDEX}`,
    );
  }
  return Number(raw);
}

/** A positive count for batch commands. */
export function parseCount(raw: string | undefined, max: number): number {
  if (raw === undefined || !/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > max) {
    throw new InvalidArgumentError(
      `Invalid count ${JSON.stringify(raw ?? '')}: expected an integer from 1 to ${max}`,
    );
  }
  return Number(raw);
}
