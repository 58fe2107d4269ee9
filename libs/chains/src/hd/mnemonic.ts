import { pbkdf2 } from 'node:crypto';
import { promisify } from 'node:util';
import { generateMnemonic as generateBip39Mnemonic, validateMnemonic } from '@scure/bip39';
import { wordlist } from '@scure/bip39/wordlists/english.js';
import { InvalidMnemonicError } from '../chains.errors';

const pbkdf2Async = promisify(pbkdf2);

/**
 * The canonical form of a BIP39 mnemonic: NFKD, trimmed, words separated by single spaces. Throws
 * InvalidMnemonicError (without echoing any word) unless it is a valid English mnemonic with a good
 * checksum. Seeds are always computed from this form, so stray whitespace never changes the keys.
 */
export function canonicalMnemonic(mnemonic: unknown): string {
  if (typeof mnemonic !== 'string') throw new InvalidMnemonicError('expected a string of words');
  const canonical = mnemonic.normalize('NFKD').trim().split(/\s+/).join(' ');
  if (!validateMnemonic(canonical, wordlist)) throw new InvalidMnemonicError();
  return canonical;
}

/** A fresh 24-word (256-bit) English mnemonic, as Tatum's SDK generates. */
export function generateMnemonic(): string {
  return generateBip39Mnemonic(wordlist, 256);
}

/**
 * BIP39 seed (empty passphrase) of a canonical mnemonic. Uses the native PBKDF2 off the main thread,
 * so a busy daemon does not block on it. The caller should wipe the seed (`fill(0)`) when done.
 */
export function mnemonicToSeed(canonical: string): Promise<Buffer> {
  return pbkdf2Async(canonical, 'mnemonic', 2048, 64, 'sha512');
}
