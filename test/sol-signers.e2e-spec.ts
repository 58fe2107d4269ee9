import { Keypair, PublicKey, SystemProgram, Transaction } from '@solana/web3.js';
import { AES } from 'crypto-js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FakeTatumApi } from './support/fake-tatum-api';
import { json, tempDir } from './support/kms-cli';
import { runKmsInProcess } from './support/kms-in-process';
import { LiteSvmNetwork } from './support/litesvm-network';
import { writeTestWalletFile } from './support/wallet-files';

/**
 * SOL as tatum-kms signs it: with the key of EVERY wallet the pending transaction names (a transfer
 * whose fee is paid by another wallet, `feePayerSignatureId`, names two), and with private keys in
 * either form Tatum's SDK reads (base58, or 128 hex digits of the 64-byte secret key). The daemon runs
 * against the fake Tatum API, whose SOL node gateway is LiteSVM: the SVM checks every signature and
 * moves the balances.
 */
const PASSWORD = 'sol-signers-password';
const API_KEY = 'sol-signers-api-key';
const SOL = 1_000_000_000n;
const FEE_PER_SIGNATURE = 5_000n;

/** The message as Tatum parks it (hex, an old blockhash the KMS replaces). */
function message(feePayer: PublicKey, from: PublicKey, to: PublicKey, lamports: bigint): string {
  return new Transaction({ feePayer, recentBlockhash: '11111111111111111111111111111111' })
    .add(SystemProgram.transfer({ fromPubkey: from, toPubkey: to, lamports }))
    .serializeMessage()
    .toString('hex');
}

describe('SOL: every named wallet signs; 128-hex keys', () => {
  const { dir, cleanup } = tempDir('kms-sol-signers-');
  let api: FakeTatumApi;
  let svm: LiteSvmNetwork;
  const env = () => ({ TATUM_KMS_PASSWORD: PASSWORD, TATUM_API_URL: api.url, HOME: dir });
  const daemon = async (path: string) => {
    const run = await runKmsInProcess(
      ['daemon', '--runOnce', '--testnet', '--chain', 'SOL', '--path', path, '--apiKey', API_KEY],
      { env: env(), timeoutMs: 60_000 },
    );
    if (run.code !== 0) throw new Error(`daemon failed (${run.code}): ${run.stdout}${run.stderr}`);
    return run;
  };
  const generate = async (path: string) =>
    json<{ signatureId: string; address: string }>(
      await runKmsInProcess(['generatemanagedwallet', 'SOL', '--testnet', '--path', path], { env: env() }),
    );

  beforeAll(async () => {
    api = await FakeTatumApi.start({ apiKey: API_KEY });
  });
  beforeEach(() => {
    svm = new LiteSvmNetwork();
    api.onRpc('SOL', (method, params) => svm.rpc('SOL', method, params as unknown[]));
  });
  afterAll(async () => {
    await api.stop();
    cleanup();
  });

  it('a transfer with a separate fee payer (hashes: sender, fee payer) is signed by both and executes', async () => {
    const path = join(dir, 'fee-payer.dat');
    await writeTestWalletFile(path, PASSWORD);
    const sender = await generate(path);
    const feePayer = await generate(path);
    svm.airdrop(sender.address, SOL);
    svm.airdrop(feePayer.address, SOL);
    const to = Keypair.generate().publicKey;
    api.addPending({
      id: 'sol-fee-payer',
      chain: 'SOL',
      hashes: [sender.signatureId, feePayer.signatureId],
      serializedTransaction: JSON.stringify({
        txData: message(new PublicKey(feePayer.address), new PublicKey(sender.address), to, SOL / 4n),
      }),
    });

    await daemon(path);

    expect(svm.balance(to.toBase58())).toBe(SOL / 4n);
    // the sender pays the amount only; the fee payer pays both signatures' fee
    expect(svm.balance(sender.address)).toBe(SOL - SOL / 4n);
    expect(svm.balance(feePayer.address)).toBe(SOL - 2n * FEE_PER_SIGNATURE);
    const reported = api.broadcasts.find((b) => b.signatureId === 'sol-fee-payer');
    expect(reported?.txData).toMatch(/^[1-9A-HJ-NP-Za-km-z]{64,88}$/);
  }, 90_000);

  it('storemanagedprivatekey takes a 128-hex secret key, and the daemon signs with it', async () => {
    const path = join(dir, 'hex.dat');
    await writeTestWalletFile(path, PASSWORD);
    const pair = Keypair.generate();
    const stored = await runKmsInProcess(['storemanagedprivatekey', 'SOL', '--testnet', '--path', path], {
      env: env(),
      input: `${Buffer.from(pair.secretKey).toString('hex')}\n`,
    });
    expect(stored.stderr).toBe('');
    const { signatureId } = json<{ signatureId: string }>(stored);
    expect(json(await runKmsInProcess(['getaddress', signatureId, '--path', path], { env: env() }))).toEqual({
      address: pair.publicKey.toBase58(),
    });
    svm.airdrop(pair.publicKey.toBase58(), SOL);
    const to = Keypair.generate().publicKey;
    api.addPending({
      id: 'sol-hex-key',
      chain: 'SOL',
      hashes: [signatureId],
      serializedTransaction: JSON.stringify({
        txData: message(pair.publicKey, pair.publicKey, to, SOL / 10n),
      }),
    });

    await daemon(path);
    expect(svm.balance(to.toBase58())).toBe(SOL / 10n);
  }, 90_000);

  it('a tatum-kms wallet file holding a 128-hex SOL key (stored as typed) signs, and so does a hex mintPK', async () => {
    const path = join(dir, 'legacy-hex.dat');
    const payer = Keypair.generate();
    const account = Keypair.generate();
    const id = '3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b0c';
    const legacy = {
      [id]: { privateKey: Buffer.from(payer.secretKey).toString('hex'), chain: 'SOL', testnet: true },
    };
    writeFileSync(path, AES.encrypt(JSON.stringify(legacy), PASSWORD).toString(), { mode: 0o600 });
    expect(json(await runKmsInProcess(['getaddress', id, '--path', path], { env: env() }))).toEqual({
      address: payer.publicKey.toBase58(),
    });
    svm.airdrop(payer.publicKey.toBase58(), SOL);
    const rent = svm.svm.minimumBalanceForRentExemption(0n);
    const txData = new Transaction({
      feePayer: payer.publicKey,
      recentBlockhash: '11111111111111111111111111111111',
    })
      .add(
        SystemProgram.createAccount({
          fromPubkey: payer.publicKey,
          newAccountPubkey: account.publicKey,
          lamports: Number(rent),
          space: 0,
          programId: SystemProgram.programId,
        }),
      )
      .serializeMessage()
      .toString('hex');
    api.addPending({
      id: 'sol-legacy-hex',
      chain: 'SOL',
      hashes: [id],
      serializedTransaction: JSON.stringify({
        txData,
        mintPK: Buffer.from(account.secretKey).toString('hex'),
      }),
    });

    await daemon(path);
    expect(svm.balance(account.publicKey.toBase58())).toBe(rent);
    expect(svm.balance(payer.publicKey.toBase58())).toBe(SOL - rent - 2n * FEE_PER_SIGNATURE);
  }, 90_000);
});
