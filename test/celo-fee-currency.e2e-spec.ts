import { join } from 'node:path';
import { keccak256, recoverAddress, type Hex } from 'viem';
import { parseTransaction, serializeTransaction } from 'viem/celo';
import vectors from './fixtures/derivation.json';
import { FakeTatumApi } from './support/fake-tatum-api';
import { json, tempDir } from './support/kms-cli';
import { runKmsInProcess } from './support/kms-in-process';
import { writeTestWalletFile } from './support/wallet-files';

/**
 * A CELO transfer whose gas is paid in cUSD (`feeCurrency` in the pending transaction, as Tatum's SDK
 * signs it): the daemon must sign a Celo CIP-64 transaction with that fee currency, its gas price asked
 * in that currency. The broadcast bytes are read by an independent implementation, viem's Celo parser
 * and serializer: fields, byte-exact re-serialization, and the signer recovered from viem's hash.
 */
const PASSWORD = 'celo-fee-currency-password';
const API_KEY = 'celo-fee-currency-api-key';
const CUSD_ALFAJORES = '0x874069fa1eb16d44d622f2e0ca25eea172369bc1';
const TO = '0xbeaed885f511c8b2665cdac37fc04a1f8a83766e';

describe('CELO feeCurrency: gas paid in cUSD', () => {
  const { dir, cleanup } = tempDir('kms-celo-fee-');
  let api: FakeTatumApi;
  const rpcCalls: Array<{ method: string; params: unknown }> = [];

  beforeAll(async () => {
    api = await FakeTatumApi.start({ apiKey: API_KEY });
    api.onRpc('CELO', (method, params) => {
      rpcCalls.push({ method, params });
      if (method === 'eth_gasPrice')
        return (params as unknown[])[0] === CUSD_ALFAJORES ? '0x3b9aca00' : '0x1';
      if (method === 'eth_estimateGas') return '0xc350';
      return undefined;
    });
  });
  afterAll(async () => {
    await api.stop();
    cleanup();
  });

  it('the daemon broadcasts a CIP-64 transaction with the fee currency, fees asked in it, signed by the wallet', async () => {
    const path = join(dir, 'wallet.dat');
    const env = { TATUM_KMS_PASSWORD: PASSWORD, TATUM_API_URL: api.url, HOME: dir };
    await writeTestWalletFile(path, PASSWORD);
    const { signatureId } = json<{ signatureId: string }>(
      await runKmsInProcess(['storemanagedwallet', 'CELO', '--testnet', '--path', path], {
        env,
        input: `${vectors.mnemonic}\n`,
      }),
    );
    const from = vectors.chains.CELO.testnet.generateAddressFromXPub['1'];
    api.setNonce(from, 12);
    api.addPending({
      id: 'celo-cusd',
      chain: 'CELO',
      hashes: [signatureId],
      index: 1,
      serializedTransaction: JSON.stringify({
        to: TO,
        value: '2500',
        data: '0x',
        feeCurrency: CUSD_ALFAJORES,
      }),
    });

    const run = await runKmsInProcess(
      ['daemon', '--runOnce', '--testnet', '--chain', 'CELO', '--path', path, '--apiKey', API_KEY],
      { env, timeoutMs: 60_000 },
    );
    expect(run.code).toBe(0);

    const txData = api.broadcasts.find((b) => b.signatureId === 'celo-cusd')!.txData as Hex;
    const parsed = parseTransaction(txData) as Record<string, unknown>;
    expect(parsed).toMatchObject({
      type: 'cip64',
      chainId: 44787,
      nonce: 12,
      to: TO,
      value: 2500n,
      feeCurrency: CUSD_ALFAJORES,
      maxFeePerGas: 1_000_000_000n,
      maxPriorityFeePerGas: 1_000_000_000n,
      gas: 50_000n + 100_000n,
    });
    const { r, s, yParity, v, ...unsigned } = parsed;
    void v;
    expect(serializeTransaction(unsigned as never, { r, s, yParity } as never)).toBe(txData);
    const signer = await recoverAddress({
      hash: keccak256(serializeTransaction(unsigned as never)),
      signature: { r: r as Hex, s: s as Hex, yParity: yParity as number },
    });
    expect(signer.toLowerCase()).toBe(from);
    expect(rpcCalls).toContainEqual({ method: 'eth_gasPrice', params: [CUSD_ALFAJORES] });
    expect(rpcCalls.find((call) => call.method === 'eth_estimateGas')?.params).toEqual([
      expect.objectContaining({ from, feeCurrency: CUSD_ALFAJORES }),
    ]);
  }, 90_000);
});
