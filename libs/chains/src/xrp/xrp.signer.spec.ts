import signing from '@kms/test-fixtures/signing.json';
import { decode, encodeForSigning } from 'ripple-binary-codec';
import { deriveAddress, deriveKeypair, generateSeed, verify } from 'ripple-keypairs';
import type { ChainSigner } from '../chain-signer.port';
import { expectSafeError, signRequest } from '../secret/secret-wallet.test-helpers';
import { XrpSigner } from './xrp.signer';

const VECTORS = signing.xrp.vectors;
const SECRET = VECTORS[0].secret;
const ACCOUNT = VECTORS[0].account;
const DESTINATION = 'rPT1Sjq2YGrBMTttX4GZHjKu9dyfzbpAYe';

const payment = (overrides: Record<string, unknown> = {}) =>
  JSON.stringify({
    TransactionType: 'Payment',
    Account: ACCOUNT,
    Destination: DESTINATION,
    Amount: '1000',
    Fee: '12',
    Sequence: 1,
    ...overrides,
  });

/** Checks that `blob` carries `original` unchanged, signed by the key of `original.Account`. */
function expectSignedBy(blob: string, original: Record<string, unknown>): void {
  const decoded = decode(blob) as Record<string, unknown>;
  const { TxnSignature, SigningPubKey, ...fields } = decoded;
  expect(fields).toEqual(original);
  expect(deriveAddress(SigningPubKey as string)).toBe(original.Account);
  const signingData = encodeForSigning({ ...fields, SigningPubKey });
  expect(verify(signingData, TxnSignature as string, SigningPubKey as string)).toBe(true);
}

describe('XrpSigner', () => {
  const xrp: ChainSigner = new XrpSigner();

  describe.each(VECTORS.map((v) => [v.pendingTx.id, v] as const))('vector %s', (_id, vector) => {
    it.each([false, true])('withdrawal=%p: gives exactly the expected tx_blob', async (withdrawal) => {
      expect(vector.algorithm).toBe('secp256k1');
      const txData = await xrp.signTransaction(
        signRequest(vector.pendingTx.serializedTransaction, vector.secret, { withdrawal }),
      );
      expect(txData).toBe(vector.expectedTxData);
    });

    it('signs fields unchanged, with a signature that verifies for the wallet key', async () => {
      const txData = await xrp.signTransaction(
        signRequest(vector.pendingTx.serializedTransaction, vector.secret),
      );
      const original = JSON.parse(vector.pendingTx.serializedTransaction) as Record<string, unknown>;
      // The codec writes hex in uppercase (memos): compare with that normalization.
      expectSignedBy(txData, JSON.parse(JSON.stringify(original).replace(/"48656c6c6f"/g, '"48656C6C6F"')));
    });
  });

  it('makes random secp256k1 family seeds whose address matches the seed', async () => {
    expect(xrp.walletModel).toBe('secret');
    const wallet = (await xrp.generateWallet(false)) as { address: string; secret: string };
    expect(Object.keys(wallet).sort()).toEqual(['address', 'secret']);
    expect(wallet.secret).toMatch(/^s[1-9A-HJ-NP-Za-km-z]{28}$/);
    expect(wallet.secret.startsWith('sEd')).toBe(false);
    expect(wallet.address).toMatch(/^r[1-9A-HJ-NP-Za-km-z]{24,34}$/);
    expect(deriveAddress(deriveKeypair(wallet.secret).publicKey)).toBe(wallet.address);
    expect(await xrp.importPrivateKey(wallet.secret, false)).toEqual({
      address: wallet.address,
      privateKey: wallet.secret,
    });
    const pairs = await Promise.all([
      xrp.generateKeyPair(true),
      xrp.generateKeyPair(false),
      xrp.generateWallet(true),
    ]);
    expect(new Set([wallet, ...pairs].map((p) => (p as { address: string }).address)).size).toBe(4);
  });

  it('imports a family seed (trimmed), secp256k1 or ed25519', async () => {
    expect(await xrp.importPrivateKey(` ${SECRET}\n`, false)).toEqual({
      address: ACCOUNT,
      privateKey: SECRET,
    });
    const ed = generateSeed({ algorithm: 'ed25519' });
    expect(await xrp.importPrivateKey(ed, true)).toEqual({
      address: deriveAddress(deriveKeypair(ed).publicKey),
      privateKey: ed,
    });
  });

  it.each([
    ['a bad checksum', `${SECRET.slice(0, -1)}${SECRET.endsWith('f') ? 'g' : 'f'}`],
    ['an address', ACCOUNT],
    ['a hex private key', deriveKeypair(SECRET).privateKey],
    ['not base58', `${SECRET.slice(0, 10)}0OIl${SECRET.slice(14)}`],
    ['empty', ''],
  ])('rejects a secret that is %s, without echoing it', async (_case, secret) => {
    await expectSafeError(xrp.importPrivateKey(secret, false), 'INVALID_PRIVATE_KEY', secret);
    await expectSafeError(xrp.signTransaction(signRequest(payment(), secret)), 'INVALID_PRIVATE_KEY', secret);
  });

  it('has no mnemonic side', async () => {
    const error = await expectSafeError(xrp.walletFromMnemonic(SECRET, false), 'INVALID_MNEMONIC', SECRET);
    expect(error.message).toContain('XRP wallets are random accounts; there is no mnemonic');
    await expectSafeError(xrp.deriveAddress({ mnemonic: SECRET }, 0, false), 'INVALID_MNEMONIC', SECRET);
    await expectSafeError(xrp.derivePrivateKey(SECRET, 0, false), 'INVALID_MNEMONIC', SECRET);
  });

  it('signs with ed25519 seeds', async () => {
    const seed = generateSeed({ algorithm: 'ed25519' });
    const account = deriveAddress(deriveKeypair(seed).publicKey);
    const tx = JSON.parse(payment({ Account: account })) as Record<string, unknown>;
    const blob = await xrp.signTransaction(signRequest(JSON.stringify(tx), seed));
    expectSignedBy(blob, tx);
  });

  it('produces a signature that no longer verifies once tampered with', async () => {
    const blob = await xrp.signTransaction(signRequest(payment(), SECRET));
    const { TxnSignature, ...rest } = decode(blob) as Record<string, string>;
    const flipped = `${TxnSignature.slice(0, 20)}${TxnSignature[20] === 'A' ? 'B' : 'A'}${TxnSignature.slice(21)}`;
    expect(verify(encodeForSigning(rest), TxnSignature, rest.SigningPubKey)).toBe(true);
    expect(verify(encodeForSigning(rest), flipped, rest.SigningPubKey)).toBe(false);
    expect(verify(encodeForSigning({ ...rest, Amount: '1001' }), TxnSignature, rest.SigningPubKey)).toBe(
      false,
    );
  });

  it.each([
    ['not JSON', '{"TransactionType":'],
    ['a JSON array', '[]'],
    ['without TransactionType', payment({ TransactionType: undefined })],
    ['of another account', payment({ Account: DESTINATION })],
    ['without Fee', payment({ Fee: undefined })],
    ['with a numeric Fee', payment({ Fee: 12 })],
    ['with a Fee above 2 XRP', payment({ Fee: '2000001' })],
    ['without Sequence', payment({ Sequence: undefined })],
    ['with a negative Sequence', payment({ Sequence: -1 })],
    ['already signed', payment({ TxnSignature: 'AB' })],
    ['multi-signed', payment({ Signers: [] })],
    [
      'with the SigningPubKey of another key',
      payment({ SigningPubKey: deriveKeypair(generateSeed()).publicKey }),
    ],
    ['with a field the codec does not know', payment({ Destinaton: DESTINATION })],
    ['with a malformed Amount', payment({ Amount: 'lots' })],
  ])('rejects a transaction %s, without echoing the secret', async (_case, serialized) => {
    await expectSafeError(xrp.signTransaction(signRequest(serialized, SECRET)), 'INVALID_PENDING_TX', SECRET);
  });

  it('accepts a Fee of exactly 2 XRP and its own SigningPubKey', async () => {
    const publicKey = deriveKeypair(SECRET).publicKey;
    const tx = JSON.parse(payment({ Fee: '2000000', SigningPubKey: publicKey.toLowerCase() }));
    const blob = await xrp.signTransaction(signRequest(JSON.stringify(tx), SECRET));
    expectSignedBy(blob, { ...tx, SigningPubKey: undefined, Fee: '2000000' });
  });

  it('accepts values the codec only rewrites (hex case, decimal and integer notation)', async () => {
    const tx = {
      Amount: { currency: 'USD', issuer: 'rvYAfWj5gh67oV6fW32ZzP3Aw4Eubs59B', value: '10.50' },
      DestinationTag: '123',
      Memos: [{ Memo: { MemoType: '6a736f6e', MemoData: '7b7d' } }],
    };
    const blob = await xrp.signTransaction(signRequest(payment(tx), SECRET));
    expectSignedBy(blob, {
      ...JSON.parse(payment()),
      Amount: { ...tx.Amount, value: '10.5' },
      DestinationTag: 123,
      Memos: [{ Memo: { MemoType: '6A736F6E', MemoData: '7B7D' } }],
    });
  });

  it('needs the wallet secret', async () => {
    await expectSafeError(
      xrp.signTransaction(signRequest(payment(), SECRET, { keys: [] })),
      'INVALID_PENDING_TX',
    );
  });
});
