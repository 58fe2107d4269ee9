import { KmsError } from '@kms/common';
import vectors from '@kms/test-fixtures/derivation.json';
import { findUtxoChain, UTXO_CHAINS } from './utxo-chains';
import { UtxoSigner } from './utxo.signer';
import { encodeWif } from './wif';

const MNEMONIC = vectors.mnemonic;
const key = (chain: 'BTC' | 'LTC' | 'DOGE' | 'BCH', network: 'mainnet' | 'testnet') =>
  vectors.chains[chain][network].generatePrivateKeyFromMnemonic['0'];
const xpub = (chain: 'BTC' | 'LTC' | 'DOGE' | 'BCH', network: 'mainnet' | 'testnet') =>
  vectors.chains[chain][network].generateWallet.result.xpub;

/** Awaits a rejection and checks its code and that its message does not contain `secret`. */
async function expectSafeError(promise: Promise<unknown>, code: string, secret: string): Promise<KmsError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(KmsError);
  expect((error as KmsError).code).toBe(code);
  expect((error as KmsError).message).not.toContain(secret);
  expect((error as KmsError).message).not.toContain(secret.slice(3, 13));
  return error as KmsError;
}

const signer = (chain: string) => new UtxoSigner(findUtxoChain(chain)!);

const ADDRESS_FORMAT: Record<string, [RegExp, RegExp]> = {
  BTC: [/^bc1q[02-9ac-hj-np-z]{38}$/, /^tb1q[02-9ac-hj-np-z]{38}$/],
  LTC: [/^L[1-9A-HJ-NP-Za-km-z]{33}$/, /^[mn][1-9A-HJ-NP-Za-km-z]{33}$/],
  DOGE: [/^D[1-9A-HJ-NP-Za-km-z]{33}$/, /^n[1-9A-HJ-NP-Za-km-z]{33}$/],
  BCH: [/^bitcoincash:q[02-9ac-hj-np-z]{41}$/, /^bchtest:q[02-9ac-hj-np-z]{41}$/],
};

describe('UtxoSigner', () => {
  it('has one row per UTXO chain with its network parameters', () => {
    expect(UTXO_CHAINS.map((row) => row.chain)).toEqual(['BTC', 'LTC', 'DOGE', 'BCH']);
    expect(findUtxoChain('ltc')?.mainnet.bip32.public).toBe(0x019da462);
    expect(findUtxoChain('LTC')?.testnet.bip32.public).toBe(0x0436f6e1);
    expect(findUtxoChain('BCH')?.testnet.derivationPath).toBe("m/44'/145'/0'/0");
    expect(findUtxoChain('ETH')).toBeUndefined();
  });

  describe.each(UTXO_CHAINS.map((row) => row.chain))('%s random key pairs', (chain) => {
    it.each([false, true])('testnet=%p: importPrivateKey(generated) gives the same pair', async (testnet) => {
      const utxo = signer(chain);
      const pair = await utxo.generateKeyPair(testnet);
      expect(pair.address).toMatch(ADDRESS_FORMAT[chain][testnet ? 1 : 0]);
      expect(await utxo.importPrivateKey(pair.privateKey, testnet)).toEqual(pair);
    });

    it.each([false, true])(
      'testnet=%p: a generated wallet derives the same address from xpub and mnemonic',
      async (testnet) => {
        const utxo = signer(chain);
        const wallet = await utxo.generateWallet(testnet);
        expect(wallet.mnemonic.split(' ')).toHaveLength(24);
        const fromXpub = await utxo.deriveAddress({ xpub: wallet.xpub }, 7, testnet);
        expect(fromXpub).toMatch(ADDRESS_FORMAT[chain][testnet ? 1 : 0]);
        expect(await utxo.deriveAddress({ mnemonic: wallet.mnemonic }, 7, testnet)).toBe(fromXpub);
      },
    );
  });

  it.each([
    ['an LTC mainnet key on LTC testnet', 'LTC', true, key('LTC', 'mainnet')],
    ['an LTC testnet key on LTC mainnet', 'LTC', false, key('LTC', 'testnet')],
    ['a BTC mainnet key on LTC mainnet', 'LTC', false, key('BTC', 'mainnet')],
    ['a DOGE testnet key on BTC testnet', 'BTC', true, key('DOGE', 'testnet')],
    ['a BTC testnet key on DOGE testnet', 'DOGE', true, key('BTC', 'testnet')],
    ['a DOGE mainnet key on BCH mainnet', 'BCH', false, key('DOGE', 'mainnet')],
  ])('rejects %s', async (_case, chain, testnet, wif) => {
    const error = await expectSafeError(
      signer(chain).importPrivateKey(wif, testnet),
      'INVALID_PRIVATE_KEY',
      wif,
    );
    expect(error.message).toMatch(/WIF version 0x[0-9a-f]{2} belongs to another network/);
  });

  it('accepts a key of a network with the same WIF version (BTC and BCH mainnet share 0x80)', async () => {
    const pair = await signer('BCH').importPrivateKey(key('BTC', 'mainnet'), false);
    expect(pair.address).toMatch(/^bitcoincash:/);
  });

  it.each([
    ['uncompressed', '5HueCGU8rMjxEXxiPuD5BDku4MkFqeZyd4dZ1jvhTVqvbTLvyTJ'],
    [
      'with a bad checksum',
      key('BTC', 'mainnet').slice(0, -1) + (key('BTC', 'mainnet').endsWith('w') ? 'x' : 'w'),
    ],
    ['zero', encodeWif(new Uint8Array(32), 0x80)],
    [
      'the group order n',
      encodeWif(Buffer.from('fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141', 'hex'), 0x80),
    ],
    ['a hex key', vectors.chains.ETH.mainnet.generatePrivateKeyFromMnemonic['0']],
    ['empty', ''],
  ])('rejects a WIF key that is %s, without echoing it', async (_case, wif) => {
    await expectSafeError(signer('BTC').importPrivateKey(wif, false), 'INVALID_PRIVATE_KEY', wif || 'never');
  });

  it('rejects xpubs of another chain or network', async () => {
    const cases = [
      ['BTC', false, xpub('LTC', 'mainnet')],
      ['LTC', true, xpub('BTC', 'testnet')],
      ['BTC', true, xpub('BTC', 'mainnet')],
    ] as const;
    for (const [chain, testnet, wrong] of cases) {
      await expectSafeError(signer(chain).deriveAddress({ xpub: wrong }, 0, testnet), 'INVALID_XPUB', wrong);
    }
  });

  it('rejects bad mnemonics and indexes without echoing the mnemonic', async () => {
    const bad = MNEMONIC.replace('urge', 'urges');
    await expectSafeError(signer('LTC').derivePrivateKey(bad, 0, false), 'INVALID_MNEMONIC', bad);
    await expectSafeError(signer('LTC').walletFromMnemonic(bad, false), 'INVALID_MNEMONIC', bad);
    await expectSafeError(signer('LTC').derivePrivateKey(MNEMONIC, -1, false), 'INVALID_INDEX', MNEMONIC);
    await expectSafeError(
      signer('LTC').deriveAddress({ xpub: xpub('LTC', 'mainnet') }, 1.5, false),
      'INVALID_INDEX',
      MNEMONIC,
    );
  });
});
