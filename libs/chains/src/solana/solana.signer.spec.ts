import { KmsError } from '@kms/common';
import { base58 } from '@scure/base';
import vectors from '@kms/test-fixtures/derivation.json';
import type { ChainSigner } from '../chain-signer.port';
import { SolanaSigner } from './solana.signer';

const MNEMONIC = vectors.mnemonic;
const V0 = vectors.v2.A.SOL.generateAddressFromMnemonic['0'];
const V1 = vectors.v2.A.SOL.generateAddressFromMnemonic['1'];

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

describe('SolanaSigner', () => {
  const sol: ChainSigner = new SolanaSigner();

  it('makes key-pair wallets: base58 address and base58 64-byte secret key', async () => {
    expect(sol.walletModel).toBe('keyPair');
    const wallet = await sol.generateWallet(false);
    expect(Object.keys(wallet).sort()).toEqual(['address', 'privateKey']);
    const { address, privateKey } = wallet as { address: string; privateKey: string };
    expect(base58.decode(address)).toHaveLength(32);
    expect(base58.decode(privateKey)).toHaveLength(64);
    expect(
      Buffer.from(base58.decode(privateKey).subarray(32)).equals(Buffer.from(base58.decode(address))),
    ).toBe(true);
  });

  it.each([false, true])('testnet=%p: importPrivateKey(generated) gives the same pair', async (testnet) => {
    const pair = await sol.generateKeyPair(testnet);
    expect(await sol.importPrivateKey(pair.privateKey, testnet)).toEqual(pair);
    expect(await sol.generateKeyPair(testnet)).not.toEqual(pair);
  });

  it('has no xpub for mnemonic wallets and derives from the mnemonic', async () => {
    expect(await sol.walletFromMnemonic(` ${MNEMONIC} `, false)).toEqual({ mnemonic: MNEMONIC });
    expect(await sol.deriveAddress({ mnemonic: MNEMONIC }, 1, true)).toBe(V1.address);
    await expect(sol.deriveAddress({ xpub: 'xpub' }, 0, false)).rejects.toMatchObject({
      code: 'INVALID_MNEMONIC',
    });
  });

  it('rejects a secret key whose halves disagree, without echoing it', async () => {
    const mixed = base58.encode(
      Uint8Array.from([
        ...base58.decode(V0.privateKey).subarray(0, 32),
        ...base58.decode(V1.privateKey).subarray(32),
      ]),
    );
    const error = await expectSafeError(sol.importPrivateKey(mixed, false), 'INVALID_PRIVATE_KEY', mixed);
    expect(error.message).toContain('public key');
  });

  it("reads a 128-hex secret key as Tatum's SDK does (any case), stored in base58", async () => {
    const hex = Buffer.from(base58.decode(V0.privateKey)).toString('hex');
    expect(await sol.importPrivateKey(hex, false)).toEqual({
      address: V0.address,
      privateKey: V0.privateKey,
    });
    expect(await sol.importPrivateKey(` ${hex.toUpperCase()} `, true)).toEqual({
      address: V0.address,
      privateKey: V0.privateKey,
    });
    const mixed = `${hex.slice(0, 64)}${Buffer.from(base58.decode(V1.address)).toString('hex')}`;
    const error = await expectSafeError(sol.importPrivateKey(mixed, false), 'INVALID_PRIVATE_KEY', mixed);
    expect(error.message).toContain('public key');
  });

  it.each([
    ['32 bytes', base58.encode(base58.decode(V0.privateKey).subarray(0, 32))],
    ['126 hex digits', Buffer.from(base58.decode(V0.privateKey)).toString('hex').slice(2)],
    ['not base58', `${V0.privateKey.slice(0, 40)}0OIl`],
    ['a hex key', vectors.chains.ETH.mainnet.generatePrivateKeyFromMnemonic['0']],
  ])('rejects a secret key that is %s', async (_case, key) => {
    await expectSafeError(sol.importPrivateKey(key, false), 'INVALID_PRIVATE_KEY', key);
  });

  it('rejects bad mnemonics and indexes', async () => {
    const bad = MNEMONIC.replace(/abuse$/, 'absent');
    await expectSafeError(sol.derivePrivateKey(bad, 0, false), 'INVALID_MNEMONIC', bad);
    await expectSafeError(sol.walletFromMnemonic(bad, false), 'INVALID_MNEMONIC', bad);
    await expectSafeError(sol.deriveAddress({ mnemonic: MNEMONIC }, -1, false), 'INVALID_INDEX', MNEMONIC);
    await expectSafeError(sol.derivePrivateKey(MNEMONIC, 2 ** 31, false), 'INVALID_INDEX', MNEMONIC);
  });
});
