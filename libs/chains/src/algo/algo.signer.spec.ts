import vectors from '@kms/test-fixtures/algo-signing.json';
import { ed25519 } from '@noble/curves/ed25519.js';
import { base32nopad } from '@scure/base';
import {
  decodeAddress,
  decodeSignedTransaction,
  encodeAddress,
  isValidAddress,
  mnemonicToSecretKey,
  secretKeyToMnemonic,
  TransactionType,
} from 'algosdk';
import type { ChainSigner } from '../chain-signer.port';
import { expectSafeError, signRequest } from '../secret/secret-wallet.test-helpers';
import { ALGO_MAINNET_GENESIS_HASH } from './algo-transaction';
import { AlgoSigner } from './algo.signer';

const { secret: SECRET, mnemonic: MNEMONIC, address: ADDRESS } = vectors;
const CASES = vectors.cases;
const PAY = CASES[0];
const OTHER_SECRET = base32nopad.encode(mnemonicToSecretKey(secretKeyToMnemonic(secretKeyOfSeed(9))).sk);

function secretKeyOfSeed(fill: number): Uint8Array {
  const seed = new Uint8Array(32).fill(fill);
  return Uint8Array.from([...seed, ...ed25519.getPublicKey(seed)]);
}

/** The Tatum JSON of the pay case with some fields replaced (undefined removes one). */
function payWith(overrides: Record<string, unknown>): string {
  return JSON.stringify({ ...JSON.parse(PAY.serializedTransaction), ...overrides });
}

/** Decodes a hex signed transaction and checks its signature with the sender's public key. */
function verifySigned(txData: string) {
  const signed = decodeSignedTransaction(Buffer.from(txData, 'hex'));
  const publicKey = signed.txn.sender.publicKey;
  expect(signed.sig).toBeDefined();
  expect(ed25519.verify(signed.sig!, signed.txn.bytesToSign(), publicKey)).toBe(true);
  return signed;
}

describe('AlgoSigner', () => {
  const algo: ChainSigner = new AlgoSigner();

  it('makes random accounts: Algorand address, Tatum base32 secret that opens to it', async () => {
    expect(algo.walletModel).toBe('secret');
    const wallet = (await algo.generateWallet(false)) as { address: string; secret: string };
    expect(Object.keys(wallet).sort()).toEqual(['address', 'secret']);
    expect(isValidAddress(wallet.address)).toBe(true);
    expect(wallet.secret).toMatch(/^[A-Z2-7]{103}$/);
    const secretKey = base32nopad.decode(wallet.secret);
    expect(encodeAddress(ed25519.getPublicKey(secretKey.subarray(0, 32)))).toBe(wallet.address);
    expect(mnemonicToSecretKey(secretKeyToMnemonic(secretKey)).addr.toString()).toBe(wallet.address);
    expect(await algo.importPrivateKey(wallet.secret, false)).toEqual({
      address: wallet.address,
      privateKey: wallet.secret,
    });
    const pairs = await Promise.all([
      algo.generateKeyPair(true),
      algo.generateKeyPair(false),
      algo.generateWallet(true),
    ]);
    expect(new Set([wallet, ...pairs].map((p) => (p as { address: string }).address)).size).toBe(4);
  });

  it.each([
    ['the base32 secret', SECRET],
    ['the base32 secret in lower case, padded', `${SECRET.toLowerCase()}=`],
    ['the 25-word mnemonic', MNEMONIC],
    [
      'the 25-word mnemonic, upper case with extra spaces',
      `  ${MNEMONIC.toUpperCase().replace(/ /g, '  ')}\n`,
    ],
  ])('imports %s as the canonical base32 secret', async (_case, secret) => {
    expect(await algo.importPrivateKey(secret, false)).toEqual({ address: ADDRESS, privateKey: SECRET });
  });

  const words = MNEMONIC.split(' ');
  it.each([
    [
      'a mnemonic with a bad checksum',
      [...words.slice(0, 24), words[0] === 'abandon' ? 'ability' : 'abandon'].join(' '),
    ],
    ['a mnemonic with a word not in the list', [...words.slice(0, 24), 'xyzzy'].join(' ')],
    ['a 24-word BIP39 mnemonic', words.slice(0, 24).join(' ')],
    [
      'a secret key whose halves disagree',
      base32nopad.encode(
        Uint8Array.from([...base32nopad.decode(SECRET).subarray(0, 32), ...secretKeyOfSeed(5).subarray(32)]),
      ),
    ],
    ['a base32 secret one character short', SECRET.slice(0, -1)],
    ['not base32', `${SECRET.slice(0, 50)}0189${SECRET.slice(54)}`],
    ['an address', ADDRESS],
    ['empty', ''],
  ])('rejects %s, without echoing it', async (_case, secret) => {
    await expectSafeError(algo.importPrivateKey(secret, false), 'INVALID_PRIVATE_KEY', secret);
    await expectSafeError(
      algo.signTransaction(signRequest(PAY.serializedTransaction, secret, { testnet: true })),
      'INVALID_PRIVATE_KEY',
      secret,
    );
  });

  it('has no BIP39 side: a 25-word Algorand mnemonic is a secret, not a mnemonic wallet', async () => {
    const error = await expectSafeError(
      algo.walletFromMnemonic(MNEMONIC, false),
      'INVALID_MNEMONIC',
      MNEMONIC,
    );
    expect(error.message).toContain('ALGO wallets are random accounts; there is no mnemonic');
    await expectSafeError(algo.deriveAddress({ mnemonic: MNEMONIC }, 0, false), 'INVALID_MNEMONIC', MNEMONIC);
    await expectSafeError(algo.derivePrivateKey(MNEMONIC, 0, false), 'INVALID_MNEMONIC', MNEMONIC);
  });

  describe.each(CASES.map((c) => [c.name, c] as const))('Tatum transaction: %s', (_name, vector) => {
    it.each([
      ['base32 secret', SECRET, false],
      ['25-word mnemonic', MNEMONIC, false],
      ['base32 secret, off-chain withdrawal', SECRET, true],
    ])(
      'with the %s: gives exactly the transaction as serialized, signed (hex)',
      async (_k, secret, withdrawal) => {
        const txData = await algo.signTransaction(
          signRequest(vector.serializedTransaction, secret, { testnet: vector.testnet, withdrawal }),
        );
        expect(txData).toBe(vector.expectedTxData);
      },
    );

    it('signs with the wallet key, fields unchanged; a tampered signature does not verify', async () => {
      const txData = await algo.signTransaction(
        signRequest(vector.serializedTransaction, SECRET, { testnet: vector.testnet }),
      );
      const signed = verifySigned(txData);
      const json = JSON.parse(vector.serializedTransaction);
      expect(signed.txn.sender.toString()).toBe(ADDRESS);
      expect(signed.txn.type).toBe(json.type);
      expect(signed.txn.fee).toBe(BigInt(json.fee));
      expect(signed.txn.firstValid).toBe(BigInt(json.firstRound));
      expect(signed.txn.lastValid).toBe(BigInt(json.lastRound));
      expect(signed.txn.genesisID).toBe(json.genesisID);
      expect(Buffer.from(signed.txn.genesisHash!)).toEqual(Buffer.from(json.genesisHash.data));
      expect(Buffer.from(signed.txn.note)).toEqual(Buffer.from(Object.values(json.note) as number[]));
      expect(signed.txn.txID()).toBe(vector.txId);
      const tampered = Uint8Array.from(signed.sig!);
      tampered[10] ^= 1;
      expect(ed25519.verify(tampered, signed.txn.bytesToSign(), signed.txn.sender.publicKey)).toBe(false);
    });
  });

  it('matches Tatum where Tatum works, and keeps the serialized fee where Tatum re-applies per-byte fees', () => {
    for (const vector of CASES) {
      if (!vector.tatumKmsTxData.startsWith('ERROR')) {
        const json = JSON.parse(vector.serializedTransaction);
        expect(vector.tatumKmsTxData === vector.expectedTxData).toBe(json.flatFee === true);
      }
    }
  });

  it('keeps the fields of each type', async () => {
    const byType = (type: string) => CASES.find((c) => JSON.parse(c.serializedTransaction).type === type)!;
    const sign = async (vector: (typeof CASES)[number]) =>
      verifySigned(
        await algo.signTransaction(signRequest(vector.serializedTransaction, SECRET, { testnet: true })),
      );
    const pay = await sign(PAY);
    expect(pay.txn.type).toBe(TransactionType.pay);
    expect(pay.txn.payment!.amount).toBe(1500000n);
    expect(pay.txn.payment!.receiver.toString()).toBe(
      encodeAddress(
        Uint8Array.from(Object.values(JSON.parse(PAY.serializedTransaction).to.publicKey) as number[]),
      ),
    );
    const axfer = await sign(byType('axfer'));
    expect(axfer.txn.assetTransfer!.assetIndex).toBe(10458941n);
    expect(axfer.txn.assetTransfer!.amount).toBe(25n);
    const create = await sign(byType('acfg'));
    expect(create.txn.assetConfig!.total).toBe(1n);
    expect(create.txn.assetConfig!.assetName).toBe('My NFT');
    expect(create.txn.assetConfig!.manager!.toString()).toBe(ADDRESS);
  });

  it('signs JSON with string addresses, array bytes and base64 genesisHash the same way', async () => {
    const json = JSON.parse(PAY.serializedTransaction);
    const plain = payWith({
      from: ADDRESS,
      to: encodeAddress(Uint8Array.from(Object.values(json.to.publicKey) as number[])),
      note: Object.values(json.note),
      genesisHash: Buffer.from(json.genesisHash.data).toString('base64'),
    });
    expect(await algo.signTransaction(signRequest(plain, SECRET, { testnet: true }))).toBe(
      PAY.expectedTxData,
    );
  });

  it('signs a mainnet transaction only as mainnet, and a test network one only as testnet', async () => {
    const mainnet = CASES.find((c) => !c.testnet)!;
    expect(Buffer.from(JSON.parse(mainnet.serializedTransaction).genesisHash.data).toString('base64')).toBe(
      ALGO_MAINNET_GENESIS_HASH,
    );
    await expectSafeError(
      algo.signTransaction(signRequest(mainnet.serializedTransaction, SECRET, { testnet: true })),
      'INVALID_PENDING_TX',
      SECRET,
    );
    await expectSafeError(
      algo.signTransaction(signRequest(PAY.serializedTransaction, SECRET, { testnet: false })),
      'INVALID_PENDING_TX',
      SECRET,
    );
  });

  const otherAddress = () => encodeAddress(base32nopad.decode(OTHER_SECRET).subarray(32));
  it.each([
    ['not JSON', () => '{"type":'],
    ['a JSON array', () => '[]'],
    ['of another sender', () => payWith({ from: otherAddress() })],
    ['that rekeys the account', () => payWith({ reKeyTo: JSON.parse(PAY.serializedTransaction).to })],
    ['of an unsupported type', () => payWith({ type: 'keyreg' })],
    ['without a type', () => payWith({ type: undefined })],
    ['without a fee', () => payWith({ fee: undefined })],
    ['with a negative amount', () => payWith({ amount: -1 })],
    ['with a fractional fee', () => payWith({ fee: 1000.5 })],
    ['without lastRound', () => payWith({ lastRound: undefined })],
    ['without genesisHash', () => payWith({ genesisHash: undefined })],
    ['with a short genesisHash', () => payWith({ genesisHash: { type: 'Buffer', data: [1, 2, 3] } })],
    ['without a receiver', () => payWith({ to: undefined })],
    ['with a malformed address string', () => payWith({ to: `${ADDRESS.slice(0, -1)}A` })],
    [
      'with an address checksum that does not match its key',
      () =>
        payWith({
          to: { ...JSON.parse(PAY.serializedTransaction).to, checksum: { 0: 1, 1: 2, 2: 3, 3: 4 } },
        }),
    ],
    ['with bytes out of range', () => payWith({ note: { 0: 300 } })],
    ['with bytes with holes', () => payWith({ note: { 0: 1, 2: 3 } })],
    ['with a lease of the wrong length', () => payWith({ lease: { 0: 1 } })],
  ])('rejects a transaction %s, without echoing the secret', async (_case, serialized) => {
    await expectSafeError(
      algo.signTransaction(signRequest(serialized(), SECRET, { testnet: true })),
      'INVALID_PENDING_TX',
      SECRET,
    );
  });

  it('signs for the wallet only: another wallet is refused', async () => {
    const error = await expectSafeError(
      algo.signTransaction(signRequest(PAY.serializedTransaction, OTHER_SECRET, { testnet: true })),
      'INVALID_PENDING_TX',
      OTHER_SECRET,
    );
    expect(error.message).toContain('not the wallet');
    expect(decodeAddress(ADDRESS).toString()).toBe(ADDRESS);
  });

  it('needs the wallet secret', async () => {
    await expectSafeError(
      algo.signTransaction(signRequest(PAY.serializedTransaction, SECRET, { keys: [], testnet: true })),
      'INVALID_PENDING_TX',
    );
  });
});
