import {
  Account,
  Asset,
  Keypair,
  Memo,
  MuxedAccount,
  Networks,
  Operation,
  StrKey,
  Transaction,
  TransactionBuilder,
} from '@stellar/stellar-base';
import type { ChainSigner } from '../chain-signer.port';
import { expectSafeError, signRequest } from '../secret/secret-wallet.test-helpers';
import { XlmSigner } from './xlm.signer';

const WALLET = Keypair.fromRawEd25519Seed(Buffer.alloc(32, 1));
const SECRET = WALLET.secret();
const DESTINATION = Keypair.fromRawEd25519Seed(Buffer.alloc(32, 2)).publicKey();

const passphrase = (testnet: boolean) => (testnet ? Networks.TESTNET : Networks.PUBLIC);

/** A payment as Tatum's API prepares it: base64 envelope XDR, unsigned. */
function payment(testnet: boolean, source: string | Account = WALLET.publicKey()): Transaction {
  const account = typeof source === 'string' ? new Account(source, '4294967296') : source;
  return new TransactionBuilder(account, { fee: '100', networkPassphrase: passphrase(testnet) })
    .addOperation(Operation.payment({ destination: DESTINATION, asset: Asset.native(), amount: '12.5' }))
    .addOperation(
      Operation.changeTrust({
        asset: new Asset('USD', Keypair.fromRawEd25519Seed(Buffer.alloc(32, 3)).publicKey()),
      }),
    )
    .addMemo(Memo.text('tatum'))
    .setTimeout(300)
    .build();
}

const envelope = (tx: Transaction) => tx.toEnvelope().toXDR('base64');
const bareXdr = (tx: Transaction) => tx.toEnvelope().v1().tx().toXDR('base64');

describe('XlmSigner', () => {
  const xlm: ChainSigner = new XlmSigner();

  it('makes random accounts: G... address, S... secret that opens to it', async () => {
    expect(xlm.walletModel).toBe('secret');
    const wallet = (await xlm.generateWallet(false)) as { address: string; secret: string };
    expect(Object.keys(wallet).sort()).toEqual(['address', 'secret']);
    expect(StrKey.isValidEd25519PublicKey(wallet.address)).toBe(true);
    expect(StrKey.isValidEd25519SecretSeed(wallet.secret)).toBe(true);
    expect(Keypair.fromSecret(wallet.secret).publicKey()).toBe(wallet.address);
    expect(await xlm.importPrivateKey(wallet.secret, true)).toEqual({
      address: wallet.address,
      privateKey: wallet.secret,
    });
    const pairs = await Promise.all([
      xlm.generateKeyPair(true),
      xlm.generateKeyPair(false),
      xlm.generateWallet(true),
    ]);
    expect(new Set([wallet, ...pairs].map((p) => (p as { address: string }).address)).size).toBe(4);
  });

  it('imports a secret seed, trimmed', async () => {
    expect(await xlm.importPrivateKey(`\t${SECRET} `, false)).toEqual({
      address: WALLET.publicKey(),
      privateKey: SECRET,
    });
  });

  it.each([
    ['a bad checksum', `${SECRET.slice(0, -1)}${SECRET.endsWith('A') ? 'B' : 'A'}`],
    ['lower case', SECRET.toLowerCase()],
    ['a public key', WALLET.publicKey()],
    ['a raw hex seed', Buffer.alloc(32, 1).toString('hex')],
    ['empty', ''],
  ])('rejects a secret that is %s, without echoing it', async (_case, secret) => {
    await expectSafeError(xlm.importPrivateKey(secret, false), 'INVALID_PRIVATE_KEY', secret);
    await expectSafeError(
      xlm.signTransaction(signRequest(envelope(payment(false)), secret)),
      'INVALID_PRIVATE_KEY',
      secret,
    );
  });

  it('has no mnemonic side', async () => {
    const error = await expectSafeError(xlm.walletFromMnemonic(SECRET, false), 'INVALID_MNEMONIC', SECRET);
    expect(error.message).toContain('XLM wallets are random accounts; there is no mnemonic');
    await expectSafeError(xlm.deriveAddress({ mnemonic: SECRET }, 0, false), 'INVALID_MNEMONIC', SECRET);
    await expectSafeError(xlm.derivePrivateKey(SECRET, 0, false), 'INVALID_MNEMONIC', SECRET);
  });

  describe.each([false, true])('testnet=%p', (testnet) => {
    it.each([false, true])(
      'withdrawal=%p: signs the envelope for the network; operations unchanged; the signature verifies',
      async (withdrawal) => {
        const unsigned = payment(testnet);
        const txData = await xlm.signTransaction(
          signRequest(envelope(unsigned), SECRET, { testnet, withdrawal }),
        );
        const signed = new Transaction(txData, passphrase(testnet));
        expect(signed.signatures).toHaveLength(1);
        const [signature] = signed.signatures;
        expect(signature.hint()).toEqual(WALLET.signatureHint());
        expect(WALLET.verify(signed.hash(), signature.signature())).toBe(true);
        expect(signed.hash()).toEqual(unsigned.hash());
        expect(signed.toEnvelope().v1().tx().toXDR('base64')).toBe(bareXdr(unsigned));
        expect(signed.operations).toEqual(unsigned.operations);
        // The passphrase is part of what is signed: the other network's hash does not verify.
        const other = new Transaction(txData, passphrase(!testnet));
        expect(WALLET.verify(other.hash(), signature.signature())).toBe(false);
        // Tampered signature.
        const tampered = Buffer.from(signature.signature());
        tampered[0] ^= 1;
        expect(WALLET.verify(signed.hash(), tampered)).toBe(false);
      },
    );

    it('accepts a bare Transaction XDR and gives the same envelope', async () => {
      const unsigned = payment(testnet);
      const fromEnvelope = await xlm.signTransaction(signRequest(envelope(unsigned), SECRET, { testnet }));
      const fromBare = await xlm.signTransaction(signRequest(bareXdr(unsigned), SECRET, { testnet }));
      expect(fromBare).toBe(fromEnvelope);
    });
  });

  it('keeps signatures already in the envelope', async () => {
    const unsigned = payment(false);
    const cosigner = Keypair.fromRawEd25519Seed(Buffer.alloc(32, 9));
    unsigned.sign(cosigner);
    const signed = new Transaction(
      await xlm.signTransaction(signRequest(envelope(unsigned), SECRET)),
      Networks.PUBLIC,
    );
    expect(signed.signatures.map((s) => s.hint())).toEqual([
      cosigner.signatureHint(),
      WALLET.signatureHint(),
    ]);
  });

  it('signs for a muxed source account of the wallet', async () => {
    const muxed = new MuxedAccount(new Account(WALLET.publicKey(), '1'), '42');
    const unsigned = payment(true, muxed as unknown as Account);
    expect(unsigned.source.startsWith('M')).toBe(true);
    const signed = new Transaction(
      await xlm.signTransaction(signRequest(envelope(unsigned), SECRET, { testnet: true })),
      Networks.TESTNET,
    );
    expect(WALLET.verify(signed.hash(), signed.signatures[0].signature())).toBe(true);
  });

  it.each([
    ['of another source account', () => envelope(payment(false, DESTINATION))],
    ['that is not base64', () => 'not base64!'],
    ['that is base64 but not XDR', () => Buffer.from('hello world, this is not XDR').toString('base64')],
    ['that is a truncated envelope', () => envelope(payment(false)).slice(0, 40)],
    [
      'that is a fee-bump transaction',
      () =>
        TransactionBuilder.buildFeeBumpTransaction(WALLET, '200', payment(false), Networks.PUBLIC)
          .toEnvelope()
          .toXDR('base64'),
    ],
  ])('rejects a transaction %s, without echoing the secret', async (_case, serialized) => {
    await expectSafeError(
      xlm.signTransaction(signRequest(serialized(), SECRET)),
      'INVALID_PENDING_TX',
      SECRET,
    );
  });

  it('needs the wallet secret', async () => {
    await expectSafeError(
      xlm.signTransaction(signRequest(envelope(payment(false)), SECRET, { keys: [] })),
      'INVALID_PENDING_TX',
    );
  });
});
