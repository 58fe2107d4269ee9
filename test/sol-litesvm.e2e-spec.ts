import { ChainModule, ChainRegistry, type ChainSigner, type TransactionSigner } from '@kms/chains';
import { Test, type TestingModule } from '@nestjs/testing';
import { base58 } from '@scure/base';
import {
  Keypair,
  Message,
  PublicKey,
  SystemProgram,
  Transaction,
  type TransactionInstruction,
} from '@solana/web3.js';
import vectors from './fixtures/derivation.json';
import { LiteSvmNetwork, type LiteSvmNetworkOptions } from './support/litesvm-network';

/**
 * SOL signing against a real SVM: the signer from the real module graph builds, signs and submits
 * Tatum-shaped transactions to LiteSVM through the SigningNetwork port, and LiteSVM's runtime
 * (signature checks, blockhash, fees, system program) decides whether they execute.
 */
const SOL = 1_000_000_000n;
const FEE_PER_SIGNATURE = 5_000n;
/** A blockhash LiteSVM never issued: Tatum's, long expired by the time the KMS signs. */
const OLD_BLOCKHASH = base58.encode(new Uint8Array(32).fill(7));

/** `serializedTransaction` as Tatum parks it: the hex of the message, fee payer = the wallet. */
function tatumPayload(feePayer: PublicKey, instruction: TransactionInstruction, mintPK?: string): string {
  const transaction = new Transaction({ feePayer, recentBlockhash: OLD_BLOCKHASH }).add(instruction);
  return JSON.stringify({
    txData: transaction.serializeMessage().toString('hex'),
    ...(mintPK && { mintPK }),
  });
}

function transfer(from: PublicKey, to: PublicKey, amount: bigint): TransactionInstruction {
  return SystemProgram.transfer({ fromPubkey: from, toPubkey: to, lamports: amount });
}

describe('SOL signing on LiteSVM', () => {
  let moduleRef: TestingModule;
  let sol: ChainSigner & TransactionSigner;

  beforeAll(async () => {
    moduleRef = await Test.createTestingModule({ imports: [ChainModule.forRoot()] }).compile();
    await moduleRef.init();
    sol = moduleRef.get(ChainRegistry).get('SOL') as ChainSigner & TransactionSigner;
  });

  afterAll(() => moduleRef.close());

  function sign(network: LiteSvmNetwork, serializedTransaction: string, key: string): Promise<string> {
    return sol.signTransaction({
      serializedTransaction,
      keys: [key],
      withdrawal: false,
      testnet: true,
      network,
    });
  }

  async function fundedWallet(network: LiteSvmNetwork): Promise<{ address: string; privateKey: string }> {
    const wallet = (await sol.generateWallet(true)) as { address: string; privateKey: string };
    network.airdrop(wallet.address, 2n * SOL);
    return wallet;
  }

  it('transfers from a generated wallet: the signature it returns is of a transaction that executed', async () => {
    const network = new LiteSvmNetwork();
    const wallet = await fundedWallet(network);
    const to = Keypair.generate().publicKey;
    const amount = SOL / 10n;
    const payload = tatumPayload(
      new PublicKey(wallet.address),
      transfer(new PublicKey(wallet.address), to, amount),
    );

    const signature = await sign(network, payload, wallet.privateKey);

    expect(base58.decode(signature)).toHaveLength(64);
    expect(network.balance(to.toBase58())).toBe(amount);
    expect(network.balance(wallet.address)).toBe(2n * SOL - amount - FEE_PER_SIGNATURE);
    expect(network.calls.map((call) => call.method)).toEqual([
      'getLatestBlockhash',
      'sendTransaction',
      'getSignatureStatuses',
    ]);
    // What was signed is Tatum's message byte for byte, with only the blockhash replaced.
    const wire = network.received[0];
    const expected = Message.from(Buffer.from(JSON.parse(payload).txData, 'hex'));
    expected.recentBlockhash = network.svm.latestBlockhash();
    expect(Buffer.from(wire.subarray(1 + 64)).equals(expected.serialize())).toBe(true);
    expect(base58.encode(wire.subarray(1, 65))).toBe(signature);
  });

  it('transfers from the key derived from the vector mnemonic', async () => {
    const vector = vectors.v2.A.SOL.generateAddressFromMnemonic['0'];
    const privateKey = await sol.derivePrivateKey(vectors.mnemonic, 0, false);
    expect(privateKey).toBe(vector.privateKey);
    const network = new LiteSvmNetwork();
    network.airdrop(vector.address, SOL);
    const to = Keypair.generate().publicKey;
    const from = new PublicKey(vector.address);

    await sign(network, tatumPayload(from, transfer(from, to, 1_000_000n)), privateKey);

    expect(network.balance(to.toBase58())).toBe(1_000_000n);
    expect(network.balance(vector.address)).toBe(SOL - 1_000_000n - FEE_PER_SIGNATURE);
  });

  it('signs with mintPK too when the message needs a second signer (createAccount)', async () => {
    const network = new LiteSvmNetwork();
    const wallet = await fundedWallet(network);
    const from = new PublicKey(wallet.address);
    const account = Keypair.generate();
    const rent = network.svm.minimumBalanceForRentExemption(0n);
    const create = SystemProgram.createAccount({
      fromPubkey: from,
      newAccountPubkey: account.publicKey,
      lamports: Number(rent),
      space: 0,
      programId: SystemProgram.programId,
    });

    await sign(network, tatumPayload(from, create, base58.encode(account.secretKey)), wallet.privateKey);

    expect(network.balance(account.publicKey.toBase58())).toBe(rent);
    expect(network.balance(wallet.address)).toBe(2n * SOL - rent - 2n * FEE_PER_SIGNATURE);
  });

  it('signs with every wallet key: a transfer whose fee is paid by another wallet executes', async () => {
    const network = new LiteSvmNetwork();
    const sender = await fundedWallet(network);
    const feePayer = await fundedWallet(network);
    const to = Keypair.generate().publicKey;
    const payload = tatumPayload(
      new PublicKey(feePayer.address),
      transfer(new PublicKey(sender.address), to, SOL / 10n),
    );

    await sol.signTransaction({
      serializedTransaction: payload,
      keys: [sender.privateKey, feePayer.privateKey],
      withdrawal: false,
      testnet: true,
      network,
    });

    expect(network.balance(to.toBase58())).toBe(SOL / 10n);
    expect(network.balance(sender.address)).toBe(2n * SOL - SOL / 10n);
    expect(network.balance(feePayer.address)).toBe(2n * SOL - 2n * FEE_PER_SIGNATURE);
  });

  it('refuses a wallet key the message does not name, before contacting the node', async () => {
    const network = new LiteSvmNetwork();
    const wallet = await fundedWallet(network);
    const stranger = await sol.generateWallet(true);
    const from = new PublicKey(wallet.address);
    const payload = tatumPayload(from, transfer(from, Keypair.generate().publicKey, 1_000n));

    await expect(
      sol.signTransaction({
        serializedTransaction: payload,
        keys: [wallet.privateKey, (stranger as { privateKey: string }).privateKey],
        withdrawal: false,
        testnet: true,
        network,
      }),
    ).rejects.toMatchObject({
      code: 'INVALID_PENDING_TX',
      message: expect.stringContaining((stranger as { address: string }).address),
    });
    expect(network.calls).toEqual([]);
  });

  it('rejects a message whose second signer has no key, naming it, before contacting the node', async () => {
    const network = new LiteSvmNetwork();
    const wallet = await fundedWallet(network);
    const from = new PublicKey(wallet.address);
    const account = Keypair.generate();
    const create = SystemProgram.createAccount({
      fromPubkey: from,
      newAccountPubkey: account.publicKey,
      lamports: Number(SOL / 100n),
      space: 0,
      programId: SystemProgram.programId,
    });

    const error = await sign(network, tatumPayload(from, create), wallet.privateKey).catch((e: unknown) => e);

    expect(error).toMatchObject({ code: 'INVALID_PENDING_TX' });
    expect((error as Error).message).toContain(account.publicKey.toBase58());
    expect((error as Error).message).not.toContain(wallet.privateKey.slice(3, 13));
    expect(network.calls).toEqual([]);
  });

  it('rejects a message paid by another account, before contacting the node', async () => {
    const network = new LiteSvmNetwork();
    const wallet = await fundedWallet(network);
    const other = Keypair.generate().publicKey;
    const payload = tatumPayload(other, transfer(new PublicKey(wallet.address), other, 1_000_000n));

    await expect(sign(network, payload, wallet.privateKey)).rejects.toMatchObject({
      code: 'INVALID_PENDING_TX',
      message: expect.stringContaining(other.toBase58()),
    });
    expect(network.calls).toEqual([]);
  });

  it.each<[string, NonNullable<LiteSvmNetworkOptions['tamper']>]>([
    ['a byte of the signature', (wire) => flip(wire, 1 + 10)],
    ['a byte of the amount in the message', (wire) => flip(wire, wire.length - 1)],
  ])(
    'LiteSVM rejects the transaction when %s is changed on the way, and nothing moves',
    async (_case, tamper) => {
      const network = new LiteSvmNetwork({ tamper });
      const wallet = await fundedWallet(network);
      const to = Keypair.generate().publicKey;
      const from = new PublicKey(wallet.address);
      const payload = tatumPayload(from, transfer(from, to, SOL / 10n));

      await expect(sign(network, payload, wallet.privateKey)).rejects.toMatchObject({
        rpcCode: -32003,
        message: 'Transaction signature verification failure',
      });
      expect(network.balance(wallet.address)).toBe(2n * SOL);
      expect(network.balance(to.toBase58())).toBe(0n);
    },
  );

  it('reports a transaction that landed and failed as SOL_FAILED with its signature', async () => {
    const network = new LiteSvmNetwork({ ignorePreflight: true });
    const wallet = await fundedWallet(network);
    const to = Keypair.generate().publicKey;
    const from = new PublicKey(wallet.address);

    const error = await sign(
      network,
      tatumPayload(from, transfer(from, to, 5n * SOL)),
      wallet.privateKey,
    ).catch((e: unknown) => e);

    expect(error).toMatchObject({ code: 'SOL_FAILED', message: expect.stringContaining('failed on chain') });
    expect(base58.decode((error as { signature: string }).signature)).toHaveLength(64);
    expect(network.balance(to.toBase58())).toBe(0n);
  });

  it('lets a failed preflight propagate: nothing executes', async () => {
    const network = new LiteSvmNetwork();
    const wallet = await fundedWallet(network);
    const to = Keypair.generate().publicKey;
    const from = new PublicKey(wallet.address);

    await expect(
      sign(network, tatumPayload(from, transfer(from, to, 5n * SOL)), wallet.privateKey),
    ).rejects.toMatchObject({
      rpcCode: -32002,
    });
    expect(network.balance(wallet.address)).toBe(2n * SOL);
    expect(network.calls.map((call) => call.method)).toEqual(['getLatestBlockhash', 'sendTransaction']);
  });
});

function flip(wire: Uint8Array, at: number): Uint8Array {
  const copy = Uint8Array.from(wire);
  copy[at] ^= 0x01;
  return copy;
}
