import { InvalidIndexError } from '../chains.errors';

/** The largest non-hardened BIP32 child index (2^31 - 1). */
export const MAX_DERIVATION_INDEX = 0x7fffffff;

/**
 * Accepts integers 0..2^31-1 and throws InvalidIndexError otherwise. The value is echoed only when it
 * is a number, so a secret passed by mistake as an index never reaches an error message.
 */
export function assertDerivationIndex(index: unknown): asserts index is number {
  if (typeof index === 'number' && Number.isInteger(index) && index >= 0 && index <= MAX_DERIVATION_INDEX)
    return;
  const shown = typeof index === 'number' ? String(index) : `a ${typeof index}`;
  throw new InvalidIndexError(
    `Invalid derivation index ${shown}: expected an integer from 0 to ${MAX_DERIVATION_INDEX}`,
  );
}
