import type { WalletMap } from '../wallet-entry';
import { decryptLegacyWalletFile, isLegacyWalletText } from './legacy-crypto-js';

/** crypto-js is a devDependency used only here, to write files exactly as tatum-kms does. */
const CryptoJS: {
  AES: { encrypt(text: string, password: string): { toString(): string } };
} = require('crypto-js');

const LOCATION = '/tmp/legacy-wallet.dat';
const MAP: WalletMap = {
  '0b8fe1a0-2c5c-4a1e-9d6c-6a3f0f1e2d3c': {
    mnemonic: 'legal winner thank year wave sausage worth useful legal winner thank yellow',
    xpub: 'xpub6E...',
    chain: 'ETH',
    testnet: false,
  },
  '6f1d2c3b-4a59-4e8f-8b7a-1c2d3e4f5a6b': { privateKey: 'cRtY...', chain: 'BTC', testnet: true },
  '9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d': {
    address: 'rLpgximdBvEHy8TxUwyj6mjCRNcJju5qGG',
    secret: 'sp8y8kecNjy88BZRr9U991iiRzFNf',
    chain: 'XRP',
    testnet: false,
  },
};

const tatumKmsFile = (map: unknown, password: string): string =>
  CryptoJS.AES.encrypt(JSON.stringify(map), password).toString();

describe('legacy tatum-kms wallet file (crypto-js AES)', () => {
  it('decrypts a file written by crypto-js', () => {
    const text = tatumKmsFile(MAP, 'legacy-password-1');
    expect(isLegacyWalletText(text)).toBe(true);
    expect(decryptLegacyWalletFile(text, 'legacy-password-1', LOCATION)).toEqual(MAP);
  });

  it('handles non-ASCII passwords and contents as crypto-js does (UTF-8)', () => {
    const map = { id: { privateKey: 'clé-ключ-鍵', chain: 'ETH', testnet: false } };
    const text = tatumKmsFile(map, 'pässwörd-🔑');
    expect(decryptLegacyWalletFile(text, 'pässwörd-🔑', LOCATION)).toEqual(map);
  });

  it('reports wrong passwords as WRONG_PASSWORD, never as a JSON or padding error', () => {
    const text = tatumKmsFile(MAP, 'legacy-password-1');
    for (let attempt = 0; attempt < 300; attempt++) {
      // 300 tries make sure some pass the padding check (about 1 in 256) and fail later (UTF-8/JSON).
      expect(() => decryptLegacyWalletFile(text, `wrong-${attempt}`, LOCATION)).toThrow(
        expect.objectContaining({ code: 'WRONG_PASSWORD' }),
      );
    }
  });

  it('reports a truncated ciphertext as CORRUPT_STORE', () => {
    const text = tatumKmsFile(MAP, 'pw');
    const truncated = Buffer.from(text, 'base64')
      .subarray(0, 16 + 40)
      .toString('base64');
    expect(() => decryptLegacyWalletFile(truncated, 'pw', LOCATION)).toThrow(
      expect.objectContaining({ code: 'CORRUPT_STORE' }),
    );
  });

  it('reports valid JSON that is not a wallet map as CORRUPT_STORE', () => {
    expect(() => decryptLegacyWalletFile(tatumKmsFile([1, 2], 'pw'), 'pw', LOCATION)).toThrow(
      expect.objectContaining({ code: 'CORRUPT_STORE' }),
    );
  });

  it('recognises only the salted base64 format', () => {
    expect(isLegacyWalletText('U2FsdGVkX1+abc=')).toBe(true);
    expect(isLegacyWalletText('{"format":"tatum-kms-wallet"}')).toBe(false);
    expect(isLegacyWalletText('U2FsdGVkX1 not base64')).toBe(false);
    expect(isLegacyWalletText('')).toBe(false);
  });
});
