import { validateMnemonic } from '@scure/bip39';
import { wordlist } from '@scure/bip39/wordlists/english.js';
import vectors from '@kms/test-fixtures/derivation.json';
import { InvalidMnemonicError } from '../chains.errors';
import { canonicalMnemonic, generateMnemonic, mnemonicToSeed } from './mnemonic';

const MNEMONIC = vectors.mnemonic;

function thrown(fn: () => unknown): InvalidMnemonicError {
  try {
    fn();
  } catch (error) {
    return error as InvalidMnemonicError;
  }
  throw new Error('expected a throw');
}

describe('mnemonic', () => {
  it('generates 24-word (256-bit) English mnemonics with a valid checksum', () => {
    const mnemonic = generateMnemonic();
    expect(mnemonic.split(' ')).toHaveLength(24);
    expect(validateMnemonic(mnemonic, wordlist)).toBe(true);
    expect(generateMnemonic()).not.toBe(mnemonic);
  });

  it('canonicalizes whitespace and keeps valid mnemonics as they are', () => {
    expect(canonicalMnemonic(MNEMONIC)).toBe(MNEMONIC);
    expect(canonicalMnemonic(`  ${MNEMONIC.split(' ').join(' \n\t ')}\n`)).toBe(MNEMONIC);
  });

  it.each([
    ['a bad checksum', MNEMONIC.replace(/abuse$/, 'absent')],
    ['an unknown word', MNEMONIC.replace('pulp', 'pulpx')],
    ['a wrong word count', MNEMONIC.split(' ').slice(0, 11).join(' ')],
    ['upper case', MNEMONIC.toUpperCase()],
  ])('rejects %s without echoing any word', (_case, mnemonic) => {
    const error = thrown(() => canonicalMnemonic(mnemonic));
    expect(error).toBeInstanceOf(InvalidMnemonicError);
    expect(error.code).toBe('INVALID_MNEMONIC');
    expect(error.message).not.toContain(mnemonic);
    for (const word of ['urge', 'pulp', 'sister', 'evidence'])
      expect(error.message.toLowerCase()).not.toContain(word);
  });

  it('rejects non-strings', () => {
    expect(thrown(() => canonicalMnemonic(undefined)).code).toBe('INVALID_MNEMONIC');
    expect(thrown(() => canonicalMnemonic(42)).code).toBe('INVALID_MNEMONIC');
  });

  it('computes the BIP39 seed with an empty passphrase', async () => {
    // "abandon" x11 + "about", no passphrase: the seed every BIP39 implementation agrees on.
    const seed = await mnemonicToSeed(`${'abandon '.repeat(11)}about`);
    expect(seed.toString('hex')).toBe(
      '5eb00bbddcf069084889a8ab9155568165f5c453ccb85e70811aaed6f6da5fc19a5ac40b389cd370d086206dec8aa6c43daea6690f20ad3d8d48b2d2ce9e38e4',
    );
  });
});
