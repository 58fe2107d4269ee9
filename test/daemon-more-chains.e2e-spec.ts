import { join } from 'node:path';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { createBase58check } from '@scure/base';
import { sha256 } from '@noble/hashes/sha2.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { Account, Asset, Keypair, Networks, Operation, TransactionBuilder } from '@stellar/stellar-base';
import algo from './fixtures/algo-signing.json';
import signing from './fixtures/signing.json';
import { tronTransaction } from '@kms/chains/testing';
import { ApprovalServer } from './support/approval-server';
import { FakeTatumApi } from './support/fake-tatum-api';
import { json, tempDir } from './support/kms-cli';
import { runKmsInProcess } from './support/kms-in-process';
import { writeTestWalletFile } from './support/wallet-files';

/**
 * The daemon signs the chains of the "every chain" issue end to end: pending transactions built the
 * way Tatum builds them come from the fake API, the daemon signs them with wallets stored through
 * the CLI, and what it broadcasts is checked: XRP and ALGO byte for byte against vectors; TRON and
 * XLM by verifying the signature with the chain's own primitives for the wallet's public key.
 */
const PASSWORD = 'more-chains-password';
const API_KEY = 'more-chains-api-key';
const XRP_WALLET_ID = '4f3c9b6e-2a51-4d8e-9f3b-1c2d3e4f5a6c';
const tronBase58 = createBase58check(sha256);

describe('daemon --runOnce on XRP, ALGO, TRON and XLM', () => {
  const { dir, cleanup } = tempDir();
  let api: FakeTatumApi;
  let approvals: ApprovalServer;
  const env = () => ({ TATUM_KMS_PASSWORD: PASSWORD, TATUM_API_URL: api.url, HOME: dir });
  const daemon = async (chain: string, path: string, testnet: boolean) => {
    const network = testnet ? ['--testnet'] : ['--externalUrl', approvals.url];
    const run = await runKmsInProcess(
      ['daemon', '--runOnce', '--chain', chain, '--path', path, '--apiKey', API_KEY, ...network],
      {
        env: env(),
        timeoutMs: 60_000,
      },
    );
    if (run.code !== 0) throw new Error(`daemon failed: ${run.stdout}${run.stderr}`);
  };
  const store = async (chain: string, path: string, secret: string, testnet: boolean) =>
    json<{ signatureId: string }>(
      await runKmsInProcess(
        ['storemanagedprivatekey', chain, '--path', path, ...(testnet ? ['--testnet'] : [])],
        {
          env: env(),
          input: `${secret}\n`,
        },
      ),
    ).signatureId;

  beforeAll(async () => {
    api = await FakeTatumApi.start({ apiKey: API_KEY });
    approvals = await ApprovalServer.start();
  });
  afterAll(async () => {
    await api.stop();
    await approvals.stop();
    cleanup();
  });

  it('XRP: every vector of signing.json is broadcast exactly', async () => {
    const path = join(dir, 'xrp.dat');
    await writeTestWalletFile(path, PASSWORD);
    const id = await store('XRP', path, signing.xrp.vectors[0].secret, false);
    expect(
      json(await runKmsInProcess(['getmanagedwallet', id, '--path', path], { env: env() })),
    ).toMatchObject({
      address: signing.xrp.vectors[0].account,
      secret: signing.xrp.vectors[0].secret,
      chain: 'XRP',
    });
    api.addPending(
      signing.xrp.vectors.map((v) => JSON.parse(JSON.stringify(v.pendingTx).replaceAll(XRP_WALLET_ID, id))),
    );
    await daemon('XRP', path, false);
    for (const v of signing.xrp.vectors) {
      expect(api.broadcasts.filter((b) => b.signatureId === v.pendingTx.id).map((b) => b.txData)).toEqual([
        v.expectedTxData,
      ]);
    }
  }, 120_000);

  it('ALGO: Tatum-serialized algosdk transactions are broadcast exactly', async () => {
    for (const testnet of [true, false]) {
      const path = join(dir, `algo-${testnet}.dat`);
      await writeTestWalletFile(path, PASSWORD);
      const id = await store('ALGO', path, algo.secret, testnet);
      const cases = algo.cases.filter((c) => c.testnet === testnet);
      api.addPending(
        cases.map((c, i) => ({
          id: `algo-${testnet}-${i}`,
          chain: 'ALGO',
          hashes: [id],
          serializedTransaction: c.serializedTransaction,
        })),
      );
      await daemon('ALGO', path, testnet);
      cases.forEach((c, i) => {
        expect(
          api.broadcasts.filter((b) => b.signatureId === `algo-${testnet}-${i}`).map((b) => b.txData),
        ).toEqual([c.expectedTxData]);
      });
    }
  }, 120_000);

  it('TRON: a TronWeb TransferContract from an HD wallet is signed by its key', async () => {
    const path = join(dir, 'tron.dat');
    await writeTestWalletFile(path, PASSWORD);
    const { signatureId } = json<{ signatureId: string }>(
      await runKmsInProcess(['generatemanagedwallet', 'TRON', '--testnet', '--path', path], { env: env() }),
    );
    const { address } = json<{ address: string }>(
      await runKmsInProcess(['getaddress', signatureId, '3', '--path', path], { env: env() }),
    );
    const ownerHex = Buffer.from(tronBase58.decode(address)).toString('hex');
    const tx = tronTransaction({
      contract: [
        {
          type: 'TransferContract',
          value: { owner_address: ownerHex, to_address: `41${'ab'.repeat(20)}`, amount: 1_500_000 },
        },
      ],
      ref_block_bytes: '3b0e',
      ref_block_hash: '9c8e1fb2e3a0b4c1',
      expiration: 1_764_000_000_000,
      timestamp: 1_763_999_940_000,
    });
    api.addPending({
      id: 'tron-1',
      chain: 'TRON',
      hashes: [signatureId],
      index: 3,
      serializedTransaction: JSON.stringify(tx),
    });
    await daemon('TRON', path, true);
    const signed = JSON.parse(api.broadcasts.find((b) => b.signatureId === 'tron-1')!.txData);
    expect({ ...signed, signature: undefined }).toEqual({ ...tx, signature: undefined });
    const [signature] = signed.signature as string[];
    const recovered = secp256k1.Signature.fromHex(signature.slice(0, 128), 'compact')
      .addRecoveryBit(parseInt(signature.slice(128), 16) - 27)
      .recoverPublicKey(Buffer.from(tx.txID, 'hex'))
      .toBytes(false);
    const recoveredAddress = tronBase58.encode(
      Uint8Array.from([0x41, ...keccak_256(recovered.slice(1)).slice(-20)]),
    );
    expect(recoveredAddress).toBe(address);
  }, 120_000);

  it('XLM: a payment XDR is signed by the wallet, verifiable with stellar-base', async () => {
    const path = join(dir, 'xlm.dat');
    await writeTestWalletFile(path, PASSWORD);
    const wallet = json<{ signatureId: string; address: string }>(
      await runKmsInProcess(['generatemanagedwallet', 'XLM', '--testnet', '--path', path], { env: env() }),
    );
    const tx = new TransactionBuilder(new Account(wallet.address, '42'), {
      fee: '100',
      networkPassphrase: Networks.TESTNET,
    })
      .addOperation(
        Operation.payment({
          destination: Keypair.random().publicKey(),
          asset: Asset.native(),
          amount: '12.5',
        }),
      )
      .setTimeout(300)
      .build();
    api.addPending({
      id: 'xlm-1',
      chain: 'XLM',
      hashes: [wallet.signatureId],
      serializedTransaction: tx.toEnvelope().toXDR('base64'),
    });
    await daemon('XLM', path, true);
    const signed = TransactionBuilder.fromXDR(
      api.broadcasts.find((b) => b.signatureId === 'xlm-1')!.txData,
      Networks.TESTNET,
    );
    expect(signed.toEnvelope().v1().tx().toXDR('base64')).toBe(tx.toEnvelope().v1().tx().toXDR('base64'));
    expect(signed.signatures).toHaveLength(1);
    expect(
      Keypair.fromPublicKey(wallet.address).verify(signed.hash(), signed.signatures[0].signature()),
    ).toBe(true);
  }, 120_000);
});
