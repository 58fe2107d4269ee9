import { KmsError } from '@kms/common';
import { bech32 } from '@scure/base';
import type { ChainSigner } from '../chain-signer.port';
import { cardanoLib } from './ada-keys';
import { AdaSigner } from './ada.signer';

/**
 * CIP-0019 (cardano-foundation/CIPs, "Test Vectors"): payment key addr_vk1w0l2sr2z... and its
 * enterprise (type-06) addresses. That key is m/1852'/1815'/0'/0/0 of the CIP test mnemonic below.
 */
const CIP19 = {
  mnemonic: 'test walk nut penalty hip pave soap entry language right filter choice',
  paymentKey: 'addr_vk1w0l2sr2zgfm26ztc6nl9xy8ghsk5sh6ldwemlpmp9xylzy4dtf7st80zhd',
  mainnet: 'addr1vx2fxv2umyhttkxyxp8x0dlpdt3k6cwng5pxj3jhsydzers66hrl8',
  testnet: 'addr_test1vz2fxv2umyhttkxyxp8x0dlpdt3k6cwng5pxj3jhsydzerspjrlsz',
};

/** Tatum's SDK v2 tests (packages/blockchain/cardano/src/lib/__tests__/cardano.wallet.spec.ts). */
const TATUM_V2 = {
  xpub: 'a6058635d8b12cbcfa4019dbb50c03807179dd62dfed792e74f380947061203b9fb72a5546ed22efc0798b4cc6fb33867fd209e350d101941807f3e7b5c1fe42',
  testnetAddress0: 'addr_test1vzfp68vn36ze5yz7x7evracmasuptjmz99qk4j23gun3pcqhlevq5',
  privateKey0:
    '8873d5e84af86978f03b63d9ffc9c6f940bd8501d32e91980c904e8d81c305507dc95992faa5aefccb263b28b411eda2dde7882d922742663804a69d78182e34',
};

/**
 * Tatum's shared test data (packages/shared/testing/common: TEST_DATA.MNEMONIC and
 * ada.test-data.ts TESTNET, SDK v1 formats): xpub = spend xpub (m/1852'/1815'/0'/0) || stake xpub,
 * private key = 128-byte xprv of key 0, address = base address of key 0.
 */
const TATUM_TEST_DATA = {
  mnemonic:
    'kit erase harsh crawl taste rebel bus ocean traffic vast undo street patrol around network deputy wage usage aware void float snake baby sister',
  v1Xpub:
    'd04ddf5d5549c0009a2e0103257be8854d8251d6b122bab59011b4e7573e6cb8599fc73cb5e3fbc945b7b44c735e82b47a312bfd35f9cdf610b6502326ff963eac6912897fcfa1e11ca994b68df6cdd68bab675e81c4367caf337769dcf8176afbdd3723af62b3723bdb2250cdee447fc803c7c1d1e83f58b6350bc853c5b141',
  v1BaseAddress:
    'addr_test1qrjqe4n77ptzl3r2d0yd2hh75dq457qwv8a8utm8yx58g4r93yxgvkgvn7vys3kkh99lghwgfrmgltg3y0dxtms3pw4qspvmp4',
  v1PrivateKey:
    '20eb2826743e90acb1475e5306eb8ae40a3519619eba7c224616756680c30550cfd1bfffb779c5deb3eb390931772e313d8c6907ee6bf0386e7219fc52b6b17910667e88abf96fadb954657e77d84add42a566aeb943f0aadb67c59fef5de18990ec9030e7a68cd2b766630366b8e205226e777a8a31f7b135f771526ab9e626',
};

async function expectSafeError(promise: Promise<unknown>, code: string, secret: string): Promise<KmsError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(KmsError);
  expect((error as KmsError).code).toBe(code);
  expect((error as KmsError).message).not.toContain(secret.trim());
  expect((error as KmsError).message).not.toContain(secret.trim().slice(4, 20));
  return error as KmsError;
}

describe('AdaSigner', () => {
  const ada: ChainSigner = new AdaSigner();

  it('is an HD chain signing with the key set of its inputs', () => {
    expect(ada.walletModel).toBe('hd');
    expect(ada.signsWith).toBe('keySet');
  });

  it('derives the CIP-0019 payment key and enterprise addresses from the CIP test mnemonic', async () => {
    const { xpub } = await ada.walletFromMnemonic(CIP19.mnemonic, false);
    expect(await ada.deriveAddress({ xpub }, 0, false)).toBe(CIP19.mainnet);
    expect(await ada.deriveAddress({ xpub }, 0, true)).toBe(CIP19.testnet);
    expect(await ada.deriveAddress({ mnemonic: CIP19.mnemonic }, 0, true)).toBe(CIP19.testnet);

    const privateKey = await ada.derivePrivateKey(CIP19.mnemonic, 0, false);
    expect(await ada.importPrivateKey(privateKey, false)).toEqual({ address: CIP19.mainnet, privateKey });
    const cardano = await cardanoLib();
    const publicKey = cardano.PrivateKey.from_hex(privateKey).to_public().as_bytes();
    const { words } = bech32.decode(CIP19.paymentKey as `${string}1${string}`);
    expect(Buffer.from(publicKey)).toEqual(Buffer.from(bech32.fromWords(words)));
  });

  it("matches Tatum SDK v2's own xpub, address and private key vectors", async () => {
    expect(await ada.deriveAddress({ xpub: TATUM_V2.xpub }, 0, true)).toBe(TATUM_V2.testnetAddress0);
    expect(await ada.importPrivateKey(TATUM_V2.privateKey0, true)).toEqual({
      address: TATUM_V2.testnetAddress0,
      privateKey: TATUM_V2.privateKey0,
    });
  });

  it("agrees with Tatum's shared ADA test data for its test mnemonic (v1 formats)", async () => {
    const { mnemonic, xpub } = await ada.walletFromMnemonic(TATUM_TEST_DATA.mnemonic, true);
    expect(mnemonic).toBe(TATUM_TEST_DATA.mnemonic);
    expect(xpub).toBe(TATUM_TEST_DATA.v1Xpub.slice(0, 128));
    const privateKey = await ada.derivePrivateKey(TATUM_TEST_DATA.mnemonic, 0, true);
    expect(privateKey).toBe(TATUM_TEST_DATA.v1PrivateKey.slice(0, 128));
    // A v1 128-byte key imports to its 64-byte extended key, at the enterprise address of key 0...
    const imported = await ada.importPrivateKey(TATUM_TEST_DATA.v1PrivateKey, true);
    expect(imported).toEqual({ address: await ada.deriveAddress({ xpub }, 0, true), privateKey });
    // ...whose payment key is that of the v1 base address.
    const cardano = await cardanoLib();
    const paymentKeyHash = (address: string) =>
      cardano.Address.from_bech32(address).payment_cred()!.to_keyhash()!.to_hex();
    expect(paymentKeyHash(imported.address)).toBe(paymentKeyHash(TATUM_TEST_DATA.v1BaseAddress));
  });

  it.each([false, true])(
    'testnet=%p: address i from the xpub = from the mnemonic = of private key i',
    async (testnet) => {
      const { mnemonic, xpub } = (await ada.generateWallet(testnet)) as { mnemonic: string; xpub: string };
      expect(mnemonic.split(' ')).toHaveLength(24);
      expect(xpub).toMatch(/^[0-9a-f]{128}$/);
      expect((await ada.walletFromMnemonic(mnemonic, !testnet)).xpub).toBe(xpub);
      const prefix = testnet ? /^addr_test1v[02-9ac-hj-np-z]{52}$/ : /^addr1v[02-9ac-hj-np-z]{52}$/;
      const addresses = new Set<string>();
      for (const index of [0, 1, 7, 2 ** 31 - 1]) {
        const address = await ada.deriveAddress({ xpub }, index, testnet);
        expect(address).toMatch(prefix);
        expect(await ada.deriveAddress({ mnemonic }, index, testnet)).toBe(address);
        const privateKey = await ada.derivePrivateKey(mnemonic, index, testnet);
        expect(privateKey).toMatch(/^[0-9a-f]{128}$/);
        expect(await ada.importPrivateKey(privateKey, testnet)).toEqual({ address, privateKey });
        addresses.add(address);
      }
      expect(addresses.size).toBe(4);
    },
  );

  it('keys do not depend on the network, addresses do', async () => {
    const mainnetKey = await ada.derivePrivateKey(CIP19.mnemonic, 3, false);
    expect(await ada.derivePrivateKey(CIP19.mnemonic, 3, true)).toBe(mainnetKey);
    const mainnet = await ada.importPrivateKey(mainnetKey, false);
    const testnet = await ada.importPrivateKey(mainnetKey, true);
    expect(mainnet.address.startsWith('addr1v')).toBe(true);
    expect(testnet.address.startsWith('addr_test1v')).toBe(true);
  });

  it.each([false, true])(
    'testnet=%p: generated key pairs round-trip through importPrivateKey',
    async (testnet) => {
      const pair = await ada.generateKeyPair(testnet);
      expect(pair.privateKey).toMatch(/^[0-9a-f]{128}$/);
      expect(await ada.importPrivateKey(` ${pair.privateKey.toUpperCase()}\n`, testnet)).toEqual(pair);
      expect(await ada.generateKeyPair(testnet)).not.toEqual(pair);
    },
  );

  const key = TATUM_V2.privateKey0;
  const flip = (hex: string, at: number, byte: number) =>
    hex.slice(0, at * 2) + byte.toString(16).padStart(2, '0') + hex.slice(at * 2 + 2);
  it.each([
    ['32 bytes', key.slice(0, 64)],
    ['not hex', `${key.slice(0, 126)}zz`],
    ['0x-prefixed', `0x${key}`],
    ['an unclamped scalar (low bits)', flip(key, 0, 0x89)],
    ['an unclamped scalar (high bits)', flip(key, 31, 0xff)],
    ['a v1 key whose public key is not its own', `${key}${TATUM_TEST_DATA.v1PrivateKey.slice(128)}`],
    ['a bech32 key', 'ed25519e_sk1' + 'q'.repeat(150)],
  ])('rejects a private key that is %s, without echoing it', async (_case, bad) => {
    await expectSafeError(ada.importPrivateKey(bad, false), 'INVALID_PRIVATE_KEY', bad);
  });

  it.each([
    ['too short', TATUM_V2.xpub.slice(0, 126)],
    ['not hex', `${TATUM_V2.xpub.slice(0, 126)}xy`],
    [
      'a BIP32 xpub',
      'xpub6EncrYPiE8Um3DZvHRXQn1TrtBTe5S7r2A3LTjPYXKfdPtmAc9ZRBYFkt6BDUrGqUyL5KyyTBbGpnM4PqhMNMD6ih6CTz5fQqnFSCzGoXTA',
    ],
    ['not an ed25519 point', `${'ff'.repeat(32)}${TATUM_V2.xpub.slice(64)}`],
  ])('rejects an xpub that is %s', async (_case, xpub) => {
    await expectSafeError(ada.deriveAddress({ xpub }, 0, false), 'INVALID_XPUB', xpub);
  });

  it('rejects a Tatum SDK v1 xpub (spend and stake keys) saying so', async () => {
    const error = await expectSafeError(
      ada.deriveAddress({ xpub: TATUM_TEST_DATA.v1Xpub }, 0, true),
      'INVALID_XPUB',
      TATUM_TEST_DATA.v1Xpub,
    );
    expect(error.message).toContain('v1');
  });

  it('rejects bad mnemonics and indexes, and wallets with nothing to derive from', async () => {
    const bad = CIP19.mnemonic.replace(/choice$/, 'church');
    await expectSafeError(ada.walletFromMnemonic(bad, false), 'INVALID_MNEMONIC', bad);
    await expectSafeError(ada.derivePrivateKey(bad, 0, false), 'INVALID_MNEMONIC', bad);
    await expectSafeError(ada.deriveAddress({ mnemonic: bad }, 0, false), 'INVALID_MNEMONIC', bad);
    await expectSafeError(
      ada.deriveAddress({ xpub: TATUM_V2.xpub }, -1, false),
      'INVALID_INDEX',
      TATUM_V2.xpub,
    );
    await expectSafeError(
      ada.derivePrivateKey(CIP19.mnemonic, 2 ** 31, false),
      'INVALID_INDEX',
      CIP19.mnemonic,
    );
    await expect(ada.deriveAddress({}, 0, false)).rejects.toMatchObject({ code: 'INVALID_XPUB' });
  });
});
