import vectors from '@kms/test-fixtures/derivation.json';
import { KmsError } from '@kms/common';
import type { ChainSigner } from '../chain-signer.port';
import { TronSigner } from './tron.signer';

/**
 * TRON wallets against Tatum's vectors (SDK 1.37.68 `chains.TRON`, SDK 2.2.100 `v2.A.TRON`): one path
 * and one xpub on both networks, T-addresses from the xpub and from the mnemonic, hex keys.
 */
const MNEMONIC = vectors.mnemonic;
const V1 = vectors.chains.TRON;
const V2 = vectors.v2.A.TRON as unknown as {
  generateWallet: { xpub: string };
  addresses: Record<string, { v2: string }>;
  privateKeys: Record<string, { v2: string }>;
};
const indexes = (record: object) =>
  Object.keys(record)
    .filter((key) => /^\d+$/.test(key))
    .map(Number);

type Case = [label: string, testnet: boolean, xpub: string, keys: Array<[number, string, string]>];
const CASES: Case[] = [
  ...(['mainnet', 'testnet'] as const).map((network): Case => {
    const v = V1[network] as unknown as {
      generateWallet: { result: { xpub: string } };
      generateAddressFromXPub: Record<string, string>;
      generatePrivateKeyFromMnemonic: Record<string, string>;
    };
    return [
      `v1 ${network}`,
      network === 'testnet',
      v.generateWallet.result.xpub,
      indexes(v.generateAddressFromXPub).map((i) => [
        i,
        v.generateAddressFromXPub[i],
        v.generatePrivateKeyFromMnemonic[i],
      ]),
    ];
  }),
  ...[false, true].map((testnet): Case => [
    `v2 ${testnet ? 'testnet' : 'mainnet'}`,
    testnet,
    V2.generateWallet.xpub,
    indexes(V2.addresses).map((i) => [i, V2.addresses[i].v2, V2.privateKeys[i].v2]),
  ]),
];

async function expectSafeError(promise: Promise<unknown>, code: string, secret: string): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(KmsError);
  expect((error as KmsError).code).toBe(code);
  expect((error as KmsError).message).not.toContain(secret);
  if (secret.length > 12) expect((error as KmsError).message).not.toContain(secret.slice(4, 16));
}

describe('TronSigner wallets', () => {
  const tron = new TronSigner();

  it('is an HD chain signed with the first key', () => {
    expect(tron.chain).toBe('TRON');
    expect(tron.walletModel).toBe('hd');
    expect((tron as ChainSigner).signsWith ?? 'firstKey').toBe('firstKey');
  });

  describe.each(CASES)('%s', (_label, testnet, xpub, keys) => {
    it('derives the xpub of the mnemonic', async () => {
      expect(await tron.walletFromMnemonic(MNEMONIC, testnet)).toEqual({ mnemonic: MNEMONIC, xpub });
    });

    it.each(keys)(
      'index %i: address from the xpub and the mnemonic, private key',
      async (index, address, key) => {
        expect(await tron.deriveAddress({ xpub }, index, testnet)).toBe(address);
        expect(await tron.deriveAddress({ mnemonic: MNEMONIC }, index, testnet)).toBe(address);
        expect(await tron.derivePrivateKey(MNEMONIC, index, testnet)).toBe(key);
        expect(await tron.importPrivateKey(key, testnet)).toEqual({ address, privateKey: key });
      },
    );
  });

  it('generates a 24-word wallet whose xpub derives the same addresses as its mnemonic', async () => {
    const wallet = await tron.generateWallet(true);
    expect(wallet.mnemonic.split(' ')).toHaveLength(24);
    expect(await tron.walletFromMnemonic(wallet.mnemonic, false)).toEqual(wallet);
    expect(await tron.deriveAddress({ xpub: wallet.xpub }, 7, false)).toBe(
      await tron.deriveAddress({ mnemonic: wallet.mnemonic }, 7, true),
    );
  });

  it.each([false, true])(
    'testnet=%p: importPrivateKey(generateKeyPair()) gives the same pair',
    async (testnet) => {
      for (let i = 0; i < 20; i++) {
        const pair = await tron.generateKeyPair(testnet);
        expect(pair.privateKey).toMatch(/^[0-9a-f]{64}$/);
        expect(pair.address).toMatch(/^T[1-9A-HJ-NP-Za-km-z]{33}$/);
        expect(await tron.importPrivateKey(pair.privateKey, testnet)).toEqual(pair);
      }
    },
  );

  it('normalizes imported keys to 64 lowercase hex digits', async () => {
    const [, address, key] = CASES[0][3][0];
    const expected = { address, privateKey: key };
    expect(await tron.importPrivateKey(key.toUpperCase(), false)).toEqual(expected);
    expect(await tron.importPrivateKey(`0x${key}`, false)).toEqual(expected);
    expect(await tron.importPrivateKey(` ${key}\n`, false)).toEqual(expected);
  });

  const KEY = CASES[0][3][1][2];
  it.each([
    ['zero', '0'.repeat(64)],
    ['the group order n', 'fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141'],
    ['too short', KEY.slice(0, 62)],
    ['too long', `${KEY}00`],
    ['not hex', `${KEY.slice(0, 63)}g`],
    ['a WIF key', vectors.chains.BTC.mainnet.generatePrivateKeyFromMnemonic['0']],
    ['a T-address', CASES[0][3][1][1]],
  ])('rejects a private key that is %s, without echoing it', async (_case, key) => {
    await expectSafeError(tron.importPrivateKey(key, false), 'INVALID_PRIVATE_KEY', key);
  });

  it('rejects a bad mnemonic, a foreign xpub and a bad index without echoing secrets', async () => {
    const bad = MNEMONIC.replace(/abuse$/, 'absent');
    await expectSafeError(tron.walletFromMnemonic(bad, false), 'INVALID_MNEMONIC', bad);
    await expectSafeError(tron.derivePrivateKey(bad, 0, false), 'INVALID_MNEMONIC', bad);
    const tpub = vectors.chains.BTC.testnet.generateWallet.result.xpub;
    await expectSafeError(tron.deriveAddress({ xpub: tpub }, 0, false), 'INVALID_XPUB', tpub);
    await expectSafeError(tron.derivePrivateKey(MNEMONIC, -1, false), 'INVALID_INDEX', MNEMONIC);
  });
});
