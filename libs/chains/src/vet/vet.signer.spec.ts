import vectors from '@kms/test-fixtures/derivation.json';
import { KmsError } from '@kms/common';
import type { ChainSigner } from '../chain-signer.port';
import { VetSigner } from './vet.signer';

/**
 * VET wallets against Tatum's vectors (SDK 1.37.68 `chains.VET`): m/44'/818'/0'/0 on mainnet,
 * m/44'/1'/0'/0 on testnet, `xpub` on both, 0x addresses and 0x-hex keys. (Tatum's own
 * generateAddressFromPrivatekey does not support VET; the key's address is the xpub's.)
 */
const MNEMONIC = vectors.mnemonic;
type NetworkVectors = {
  generateWallet: { result: { xpub: string } };
  generateAddressFromXPub: Record<string, string>;
  generatePrivateKeyFromMnemonic: Record<string, string>;
};
const NETWORKS = [
  ['mainnet', false],
  ['testnet', true],
] as const;
const v = (network: 'mainnet' | 'testnet') => vectors.chains.VET[network] as unknown as NetworkVectors;
const indexes = (record: object) =>
  Object.keys(record)
    .filter((key) => /^\d+$/.test(key))
    .map(Number);

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

describe('VetSigner wallets', () => {
  const vet = new VetSigner();

  it('is an HD chain signed with the first key', () => {
    expect(vet.chain).toBe('VET');
    expect(vet.walletModel).toBe('hd');
    expect((vet as ChainSigner).signsWith ?? 'firstKey').toBe('firstKey');
  });

  describe.each(NETWORKS)('v1 %s', (network, testnet) => {
    const { generateWallet, generateAddressFromXPub, generatePrivateKeyFromMnemonic } = v(network);
    const xpub = generateWallet.result.xpub;

    it('derives the xpub of the mnemonic', async () => {
      expect(await vet.walletFromMnemonic(MNEMONIC, testnet)).toEqual({ mnemonic: MNEMONIC, xpub });
    });

    it.each(indexes(generateAddressFromXPub))(
      'index %i: address from the xpub and the mnemonic, key',
      async (i) => {
        const address = generateAddressFromXPub[i];
        const privateKey = generatePrivateKeyFromMnemonic[i];
        expect(await vet.deriveAddress({ xpub }, i, testnet)).toBe(address);
        expect(await vet.deriveAddress({ mnemonic: MNEMONIC }, i, testnet)).toBe(address);
        expect(await vet.derivePrivateKey(MNEMONIC, i, testnet)).toBe(privateKey);
        expect(await vet.importPrivateKey(privateKey, testnet)).toEqual({ address, privateKey });
      },
    );
  });

  it('uses different paths on the two networks', () => {
    expect(v('mainnet').generateWallet.result.xpub).not.toBe(v('testnet').generateWallet.result.xpub);
  });

  it.each([false, true])(
    'testnet=%p: importPrivateKey(generateKeyPair()) gives the same pair',
    async (testnet) => {
      for (let i = 0; i < 20; i++) {
        const pair = await vet.generateKeyPair(testnet);
        expect(pair.privateKey).toMatch(/^0x[0-9a-f]{64}$/);
        expect(pair.address).toMatch(/^0x[0-9a-f]{40}$/);
        expect(await vet.importPrivateKey(pair.privateKey, testnet)).toEqual(pair);
      }
    },
  );

  it('generates a 24-word wallet whose xpub derives the same addresses as its mnemonic', async () => {
    const wallet = await vet.generateWallet(false);
    expect(wallet.mnemonic.split(' ')).toHaveLength(24);
    expect(await vet.deriveAddress({ xpub: wallet.xpub }, 3, false)).toBe(
      await vet.deriveAddress({ mnemonic: wallet.mnemonic }, 3, false),
    );
  });

  const KEY = v('mainnet').generatePrivateKeyFromMnemonic['1'];
  it.each([
    ['zero', `0x${'0'.repeat(64)}`],
    ['above n', `0x${'f'.repeat(64)}`],
    ['too short', KEY.slice(0, 64)],
    ['too long', `${KEY}00`],
    ['not hex', `0x${KEY.slice(2, 65)}z`],
    ['a WIF key', vectors.chains.BTC.mainnet.generatePrivateKeyFromMnemonic['0']],
  ])('rejects a private key that is %s, without echoing it', async (_case, key) => {
    await expectSafeError(vet.importPrivateKey(key, false), 'INVALID_PRIVATE_KEY', key);
  });

  it('rejects a bad mnemonic and a foreign xpub without echoing them', async () => {
    const bad = MNEMONIC.replace(/abuse$/, 'absent');
    await expectSafeError(vet.walletFromMnemonic(bad, true), 'INVALID_MNEMONIC', bad);
    const tpub = vectors.chains.BTC.testnet.generateWallet.result.xpub;
    await expectSafeError(vet.deriveAddress({ xpub: tpub }, 0, true), 'INVALID_XPUB', tpub);
  });
});
