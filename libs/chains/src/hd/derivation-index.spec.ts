import { InvalidIndexError } from '../chains.errors';
import { assertDerivationIndex, MAX_DERIVATION_INDEX } from './derivation-index';

describe('assertDerivationIndex', () => {
  it.each([0, 1, 1000, MAX_DERIVATION_INDEX])('accepts %p', (index) => {
    expect(() => assertDerivationIndex(index)).not.toThrow();
  });

  it.each([-1, 1.5, MAX_DERIVATION_INDEX + 1, Number.NaN, Infinity, '1', null, undefined, 2n])(
    'rejects %p with INVALID_INDEX',
    (index) => {
      expect(() => assertDerivationIndex(index)).toThrow(InvalidIndexError);
    },
  );

  it('never echoes a non-number (it could be a secret passed by mistake)', () => {
    const secret = 'urge pulp usage sister evidence arrest palm math please chief egg abuse';
    try {
      assertDerivationIndex(secret);
    } catch (error) {
      expect((error as InvalidIndexError).message).not.toContain('urge');
      return;
    }
    throw new Error('expected a throw');
  });
});
