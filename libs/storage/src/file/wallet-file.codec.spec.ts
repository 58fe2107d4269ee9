// The module object itself (not an interop copy), so the spy sees the codec's calls.
import nodeCrypto = require('node:crypto');
import type { WalletMap } from '../wallet-entry';
import {
  createDataKey,
  deriveKek,
  newScryptParams,
  openWalletMap,
  parseEnvelope,
  rewrapDataKey,
  sealWalletMap,
  unlockEnvelope,
  unwrapDataKey,
  type UnlockedKey,
} from './wallet-file.codec';

const LOCATION = '/tmp/test-wallet.dat';
const PASSWORD = 'correct horse battery staple';
const MAP: WalletMap = {
  'a4f0c1d2-0000-4000-8000-000000000001': {
    mnemonic: 'abandon '.repeat(23) + 'art',
    xpub: 'xpub6...',
    chain: 'BTC',
    testnet: false,
  },
  'a4f0c1d2-0000-4000-8000-000000000002': { privateKey: '0x' + '11'.repeat(32), chain: 'ETH', testnet: true },
  'a4f0c1d2-0000-4000-8000-000000000003': {
    secret: 'sEdTM1uX8pu2do5XvTnutH6HsouMaM2',
    address: 'rXYZ',
    chain: 'XRP',
    testnet: false,
  },
};

async function newKey(password = PASSWORD): Promise<UnlockedKey> {
  return createDataKey(await deriveKek(password, newScryptParams()));
}

interface EnvelopeJson {
  version: number;
  kdf: { name: string; N: number; r: number; p: number; salt?: string };
  wrappedKey: string;
  iv: string;
  tag: string;
  data: string;
}

/** Rewrites one JSON field of a sealed file. */
function edit(text: string, mutate: (envelope: EnvelopeJson) => void): string {
  const envelope = JSON.parse(text);
  mutate(envelope);
  return JSON.stringify(envelope);
}

function flipBase64Byte(value: string, index: number): string {
  const bytes = Buffer.from(value, 'base64');
  bytes[index] ^= 0x01;
  return bytes.toString('base64');
}

async function open(text: string, password = PASSWORD): Promise<WalletMap> {
  const envelope = parseEnvelope(text, LOCATION);
  return openWalletMap(envelope, await unlockEnvelope(envelope, password), LOCATION);
}

describe('wallet file codec (format v2)', () => {
  let key: UnlockedKey;
  let sealed: string;
  beforeAll(async () => {
    key = await newKey();
    sealed = sealWalletMap(MAP, key);
  });

  it('round-trips the whole map and writes the documented envelope', async () => {
    expect(await open(sealed)).toEqual(MAP);
    const envelope = JSON.parse(sealed);
    expect(Object.keys(envelope)).toEqual([
      'format',
      'version',
      'kdf',
      'wrappedKey',
      'cipher',
      'iv',
      'tag',
      'data',
    ]);
    expect(envelope).toMatchObject({
      format: 'tatum-kms-wallet',
      version: 2,
      kdf: { name: 'scrypt', N: 65536, r: 8, p: 1 },
      cipher: 'aes-256-gcm',
    });
    expect(Buffer.from(envelope.iv, 'base64')).toHaveLength(12);
    expect(Buffer.from(envelope.tag, 'base64')).toHaveLength(16);
    expect(Buffer.from(envelope.wrappedKey, 'base64')).toHaveLength(60);
    expect(sealed).not.toContain('abandon');
    expect(sealed).not.toContain(PASSWORD);
  });

  it('uses a fresh IV on every seal with the same key', () => {
    const again = JSON.parse(sealWalletMap(MAP, key));
    const first = JSON.parse(sealed);
    expect(again.iv).not.toEqual(first.iv);
    expect(again.data).not.toEqual(first.data);
    expect(again.wrappedKey).toEqual(first.wrappedKey);
  });

  it('reports a wrong password as WRONG_PASSWORD', async () => {
    await expect(open(sealed, 'not the password')).rejects.toMatchObject({ code: 'WRONG_PASSWORD' });
  });

  it('reports a flipped byte in the data as CORRUPT_STORE', async () => {
    const damaged = edit(sealed, (e) => (e.data = flipBase64Byte(e.data, 3)));
    await expect(open(damaged)).rejects.toMatchObject({ code: 'CORRUPT_STORE' });
  });

  it('reports a flipped byte in the tag or iv as CORRUPT_STORE', async () => {
    await expect(open(edit(sealed, (e) => (e.tag = flipBase64Byte(e.tag, 0))))).rejects.toMatchObject({
      code: 'CORRUPT_STORE',
    });
    await expect(open(edit(sealed, (e) => (e.iv = flipBase64Byte(e.iv, 11))))).rejects.toMatchObject({
      code: 'CORRUPT_STORE',
    });
  });

  it('detects tampered kdf parameters (they change the KEK, so the wrap fails as a wrong password)', async () => {
    for (const tamper of [
      (e: EnvelopeJson) => (e.kdf.N = 32768),
      (e: EnvelopeJson) => (e.kdf.p = 2),
      (e: EnvelopeJson) => (e.kdf.salt = flipBase64Byte(String(e.kdf.salt), 5)),
    ]) {
      await expect(open(edit(sealed, tamper))).rejects.toMatchObject({ code: 'WRONG_PASSWORD' });
    }
  });

  it('binds the header to the data: a valid wrap from another header does not open this data', async () => {
    // Same data key re-wrapped under another salt: the wrap is genuine, only the header/data pair is not.
    const other = rewrapDataKey(key, await deriveKek(PASSWORD, newScryptParams()));
    const otherHeader = JSON.parse(sealWalletMap({}, other));
    const spliced = edit(sealed, (e) => {
      e.kdf = otherHeader.kdf;
      e.wrappedKey = otherHeader.wrappedKey;
    });
    await expect(open(spliced)).rejects.toMatchObject({ code: 'CORRUPT_STORE' });
  });

  it('rejects absurd or missing kdf parameters as CORRUPT_STORE before running scrypt', () => {
    for (const tamper of [
      (e: EnvelopeJson) => (e.kdf.N = 2 ** 30),
      (e: EnvelopeJson) => (e.kdf.N = 1000),
      (e: EnvelopeJson) => delete e.kdf.salt,
      (e: EnvelopeJson) => (e.kdf.name = 'pbkdf2'),
      (e: EnvelopeJson) => (e.version = 3),
      (e: EnvelopeJson) => (e.iv = 'AAAA'),
      (e: EnvelopeJson) => (e.data = 'not base64!'),
    ]) {
      expect(() => parseEnvelope(edit(sealed, tamper), LOCATION)).toThrow(
        expect.objectContaining({ code: 'CORRUPT_STORE' }),
      );
    }
  });

  it('tells a foreign JSON file (UNKNOWN_STORE_FORMAT) from a damaged envelope (CORRUPT_STORE)', () => {
    expect(() => parseEnvelope('{"name":"my-package"}', LOCATION)).toThrow(
      expect.objectContaining({ code: 'UNKNOWN_STORE_FORMAT' }),
    );
    expect(() => parseEnvelope(sealed.slice(0, sealed.length / 2), LOCATION)).toThrow(
      expect.objectContaining({ code: 'CORRUPT_STORE' }),
    );
  });

  it('changes the password by re-wrapping the same data key under a new salt', async () => {
    const changed = rewrapDataKey(key, await deriveKek('new password', newScryptParams()));
    expect(changed.dataKey.equals(key.dataKey)).toBe(true);
    const text = sealWalletMap(MAP, changed);
    expect(JSON.parse(text).kdf.salt).not.toEqual(JSON.parse(sealed).kdf.salt);
    expect(await open(text, 'new password')).toEqual(MAP);
    await expect(open(text, PASSWORD)).rejects.toMatchObject({ code: 'WRONG_PASSWORD' });
  });

  it('runs scrypt once per unlock, never per write', async () => {
    const scrypt = jest.spyOn(nodeCrypto, 'scrypt');
    try {
      const unlocked = await newKey();
      const map: WalletMap = { ...MAP };
      let text = '';
      for (let write = 0; write < 5; write++) {
        map[`id-${write}`] = MAP[Object.keys(MAP)[0]];
        text = sealWalletMap(map, unlocked);
      }
      const envelope = parseEnvelope(text, LOCATION);
      // Re-opening with the key already held needs no derivation either.
      expect(
        Object.keys(openWalletMap(envelope, unwrapDataKey(envelope, unlocked.kek), LOCATION)),
      ).toHaveLength(8);
      expect(scrypt).toHaveBeenCalledTimes(1);
    } finally {
      scrypt.mockRestore();
    }
  });
});
