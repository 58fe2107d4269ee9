import vectors from '@kms/test-fixtures/derivation.json';
import { KmsError } from '@kms/common';
import { EVM_CHAINS, findEvmChain } from './evm-chains';
import { EvmSigner } from './evm.signer';

const MNEMONIC = vectors.mnemonic;
const ETH = vectors.chains.ETH.mainnet;
const KEY0 = ETH.generatePrivateKeyFromMnemonic['0'];
const ADDRESS0 = ETH.generateAddressFromXPub['0'];
const N = 'fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141';

/** Awaits a rejection and checks its code and that its message does not contain `secret`. */
async function expectSafeError(promise: Promise<unknown>, code: string, secret: string): Promise<KmsError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(KmsError);
  expect((error as KmsError).code).toBe(code);
  expect((error as KmsError).message).not.toContain(secret);
  if (secret.length > 10) expect((error as KmsError).message).not.toContain(secret.slice(2, 12));
  return error as KmsError;
}

const signer = (chain: string) => new EvmSigner(findEvmChain(chain)!);

describe('EvmSigner', () => {
  it('has a table row with both chain ids and paths for every EVM chain', () => {
    expect(EVM_CHAINS.map((row) => row.chain)).toEqual([
      'ETH',
      'BSC',
      'MATIC',
      'CELO',
      'KLAY',
      'ONE',
      'XDC',
      'KCS',
    ]);
    expect(findEvmChain('one')?.chainId).toEqual({ mainnet: 1666600000, testnet: 1666700000 });
    expect(findEvmChain('KCS')?.chainId).toEqual({ mainnet: 321, testnet: 322 });
    expect(findEvmChain('BTC')).toBeUndefined();
  });

  it('generates a 24-word wallet whose xpub matches its mnemonic', async () => {
    const eth = signer('ETH');
    const wallet = await eth.generateWallet(false);
    expect(wallet.mnemonic.split(' ')).toHaveLength(24);
    expect(wallet.xpub).toMatch(/^xpub/);
    expect(await eth.walletFromMnemonic(wallet.mnemonic, false)).toEqual(wallet);
    expect(await eth.deriveAddress({ xpub: wallet.xpub }, 3, false)).toBe(
      await eth.deriveAddress({ mnemonic: wallet.mnemonic }, 3, false),
    );
  });

  describe.each(EVM_CHAINS.map((row) => row.chain))('%s random key pairs', (chain) => {
    it.each([false, true])('testnet=%p: importPrivateKey(generated) gives the same pair', async (testnet) => {
      const evm = signer(chain);
      const pair = await evm.generateKeyPair(testnet);
      expect(pair.privateKey).toMatch(/^0x[0-9a-f]{64}$/);
      expect(pair.address).toMatch(chain === 'XDC' ? /^xdc[0-9a-f]{40}$/ : /^0x[0-9a-f]{40}$/);
      expect(await evm.importPrivateKey(pair.privateKey, testnet)).toEqual(pair);
    });
  });

  it('normalizes imported keys to 0x + lowercase hex', async () => {
    const eth = signer('ETH');
    const expected = { address: ADDRESS0, privateKey: KEY0 };
    expect(await eth.importPrivateKey(KEY0.slice(2), false)).toEqual(expected);
    expect(await eth.importPrivateKey(`0x${KEY0.slice(2).toUpperCase()}`, false)).toEqual(expected);
    expect(await eth.importPrivateKey(` ${KEY0}\n`, false)).toEqual(expected);
    expect((await signer('XDC').importPrivateKey(KEY0, false)).address).toBe(`xdc${ADDRESS0.slice(2)}`);
  });

  it.each([
    ['zero', `0x${'0'.repeat(64)}`],
    ['the group order n', `0x${N}`],
    ['above n', `0x${'f'.repeat(64)}`],
    ['too short', KEY0.slice(0, 64)],
    ['too long', `${KEY0}00`],
    ['not hex', `0x${'g'.repeat(64)}`],
    ['a WIF key', vectors.chains.BTC.mainnet.generatePrivateKeyFromMnemonic['0']],
  ])('rejects a private key that is %s, without echoing it', async (_case, key) => {
    await expectSafeError(signer('ETH').importPrivateKey(key, false), 'INVALID_PRIVATE_KEY', key);
  });

  it('rejects a bad mnemonic without echoing it', async () => {
    const bad = MNEMONIC.replace(/abuse$/, 'absent');
    await expectSafeError(signer('ETH').walletFromMnemonic(bad, false), 'INVALID_MNEMONIC', bad);
    await expectSafeError(signer('ETH').derivePrivateKey(bad, 0, false), 'INVALID_MNEMONIC', bad);
    await expectSafeError(signer('ETH').deriveAddress({ mnemonic: bad }, 0, false), 'INVALID_MNEMONIC', bad);
  });

  it.each([-1, 0.5, 2 ** 31, Number.NaN])('rejects index %p', async (index) => {
    await expectSafeError(signer('ETH').derivePrivateKey(MNEMONIC, index, false), 'INVALID_INDEX', MNEMONIC);
    await expectSafeError(
      signer('ETH').deriveAddress({ xpub: ETH.generateWallet.result.xpub }, index, false),
      'INVALID_INDEX',
      MNEMONIC,
    );
  });

  it('accepts the largest non-hardened index', async () => {
    expect(
      await signer('ETH').deriveAddress({ xpub: ETH.generateWallet.result.xpub }, 2 ** 31 - 1, false),
    ).toMatch(/^0x[0-9a-f]{40}$/);
  });

  it('rejects xpubs of other networks, extended private keys and wallets without key material', async () => {
    const eth = signer('ETH');
    await expectSafeError(
      eth.deriveAddress({ xpub: vectors.chains.BTC.testnet.generateWallet.result.xpub }, 0, false),
      'INVALID_XPUB',
      'tpub',
    );
    await expectSafeError(
      eth.deriveAddress({ xpub: 'xpub-not-base58' }, 0, false),
      'INVALID_XPUB',
      'not-base58',
    );
    const xprv =
      'xprv9s21ZrQH143K3QTDL4LXw2F7HEK3wJUD2nW2nRk4stbPy6cq3jPPqjiChkVvvNKmPGJxWUtg6LnF5kejMRNNU3TGtRBeJgk33yuGBxrMPHi';
    const error = await expectSafeError(eth.deriveAddress({ xpub: xprv }, 0, false), 'INVALID_XPUB', xprv);
    expect(error.message).toContain('extended private key');
    await expect(eth.deriveAddress({}, 0, false)).rejects.toMatchObject({ code: 'INVALID_XPUB' });
  });
});
