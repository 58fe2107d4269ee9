import { AES } from 'crypto-js';
import { Transaction } from 'ethers';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import vectors from './fixtures/derivation.json';
import { FakeTatumApi } from './support/fake-tatum-api';
import { json, tempDir } from './support/kms-cli';
import { runKmsInProcess } from './support/kms-in-process';

/**
 * Chain names of Tatum's SDK that stand for another chain (tokens, layer 2s: `USDT`, `ETH_BASE`,
 * `USDC_BSC`, `CUSD`...). tatum-kms's `generatewallet USDT` derives an Ethereum wallet, and its
 * `generatemanagedwallet USDT` stores it as `chain: "USDT"`: such wallet files must keep working,
 * in the CLI and in the daemon.
 */
const PASSWORD = 'sdk-aliases-password';
const API_KEY = 'sdk-aliases-api-key';
const ETH_SEPOLIA = 11155111;
const BSC_TESTNET = 97;

/** What tatum-kms wrote for a few alias chains (crypto-js AES, testnet wallets). */
const IDS = {
  usdt: '1c9e7a52-7f4b-4d8a-9b3e-2a6f0c1d5e41',
  ethBase: '2d8f6b43-6e5a-4c9b-8a2d-3b7e1f0c6d52',
  usdcBsc: '3e7a5c34-5d6b-4b8c-9c1e-4c8d2e1b7f63',
  cusd: '4f6b4d25-4c7a-4a9d-8d0f-5d9c3f2a8e74',
};
const ETH_KEY_0 = vectors.chains.ETH.testnet.generatePrivateKeyFromMnemonic['0'];
const LEGACY = {
  [IDS.usdt]: {
    mnemonic: vectors.mnemonic,
    xpub: vectors.chains.ETH.testnet.generateWallet.result.xpub,
    chain: 'USDT',
    testnet: true,
  },
  [IDS.ethBase]: { privateKey: ETH_KEY_0, chain: 'ETH_BASE', testnet: true },
  [IDS.usdcBsc]: { privateKey: ETH_KEY_0, chain: 'USDC_BSC', testnet: true },
  [IDS.cusd]: {
    mnemonic: vectors.mnemonic,
    xpub: vectors.chains.CELO.testnet.generateWallet.result.xpub,
    chain: 'CUSD',
    testnet: true,
  },
};

/** A complete legacy EVM transaction: nothing is asked from the network but the broadcast. */
const evmTx = (chainId: number, nonce: number) =>
  JSON.stringify({
    to: '0x8cb76aed9c5e336ef961265c6079c14e9cd3d2ea',
    value: '1000',
    nonce,
    gasPrice: '1000000000',
    gas: '21000',
    chainId,
  });

describe('wallets under SDK chain aliases (USDT, ETH_BASE, USDC_BSC, CUSD)', () => {
  const { dir, cleanup } = tempDir('kms-sdk-aliases-');
  const path = join(dir, 'wallet.dat');
  const env = () => ({ TATUM_KMS_PASSWORD: PASSWORD, HOME: dir });
  afterAll(cleanup);

  beforeAll(() => {
    writeFileSync(path, AES.encrypt(JSON.stringify(LEGACY), PASSWORD).toString(), { mode: 0o600 });
  });

  it.each([
    ['USDT', 'ETH'],
    ['ETH_BASE', 'ETH'],
    ['USDC_MATIC', 'MATIC'],
    ['CUSD', 'CELO'],
    ['USDT_TRON', 'TRON'],
    ['CAKE', 'BSC'],
  ])('generatewallet %s works and derives as %s', async (alias, base) => {
    const wallet = json<{ mnemonic: string; xpub: string }>(
      await runKmsInProcess(['generatewallet', alias, '--testnet'], { env: env() }),
    );
    expect(Object.keys(wallet).sort()).toEqual(['mnemonic', 'xpub']);
    // the same mnemonic stored under the base chain gives the same xpub
    const stored = json<{ xpub: string }>(
      await runKmsInProcess(['storemanagedwallet', base, '--testnet', '--path', join(dir, `${alias}.dat`)], {
        env: env(),
        input: `${wallet.mnemonic}\n`,
      }),
    );
    expect(stored.xpub).toBe(wallet.xpub);
  });

  it('generatemanagedwallet USDT stores an ETH wallet (the base chain), with the same xpub', async () => {
    const store = join(dir, 'managed.dat');
    const { signatureId, xpub } = json<{ signatureId: string; xpub: string }>(
      await runKmsInProcess(['generatemanagedwallet', 'USDT', '--testnet', '--path', store], { env: env() }),
    );
    const entry = json<{ chain: string; xpub: string; mnemonic: string }>(
      await runKmsInProcess(['getmanagedwallet', signatureId, '--path', store], { env: env() }),
    );
    expect(entry).toMatchObject({ chain: 'ETH', xpub, testnet: true });
  });

  it('getaddress and getprivatekey of wallets tatum-kms stored under alias chains', async () => {
    const address = async (id: string, index?: string) =>
      json<{ address: string }>(
        await runKmsInProcess(['getaddress', id, ...(index ? [index] : []), '--path', path], { env: env() }),
      ).address;
    expect(await address(IDS.usdt, '2')).toBe(vectors.chains.ETH.testnet.generateAddressFromXPub['2']);
    expect(await address(IDS.cusd, '1')).toBe(vectors.chains.CELO.testnet.generateAddressFromXPub['1']);
    expect(await address(IDS.ethBase)).toBe(vectors.chains.ETH.testnet.generateAddressFromXPub['0']);
    expect(
      json(await runKmsInProcess(['getprivatekey', IDS.usdt, '1', '--path', path], { env: env() })),
    ).toEqual({ privateKey: vectors.chains.ETH.testnet.generatePrivateKeyFromMnemonic['1'] });
    const report = json<{ wallets: Record<string, { warnings?: string[] }> }>(
      await runKmsInProcess(['report', Object.values(IDS).join(','), '--path', path], { env: env() }),
    );
    for (const id of Object.values(IDS)) {
      expect(report.wallets[id].warnings ?? []).not.toContainEqual(expect.stringMatching(/not supported/));
    }
  });

  describe('the daemon', () => {
    let api: FakeTatumApi;
    beforeAll(async () => {
      api = await FakeTatumApi.start({ apiKey: API_KEY });
    });
    afterAll(() => api.stop());

    const daemon = async (...chainArgs: string[]) => {
      const run = await runKmsInProcess(
        ['daemon', '--runOnce', '--testnet', ...chainArgs, '--path', path, '--apiKey', API_KEY],
        { env: { ...env(), TATUM_API_URL: api.url }, timeoutMs: 60_000 },
      );
      if (run.code !== 0) throw new Error(`daemon failed (${run.code}): ${run.stdout}${run.stderr}`);
    };
    const signer = (pendingId: string) =>
      Transaction.from(api.broadcasts.find((b) => b.signatureId === pendingId)!.txData).from!.toLowerCase();

    it('polls ETH and BSC with the wallets stored under their aliases and signs with them', async () => {
      api.addPending([
        {
          id: 'usdt-1',
          chain: 'ETH',
          hashes: [IDS.usdt],
          index: 1,
          serializedTransaction: evmTx(ETH_SEPOLIA, 7),
        },
        { id: 'base-1', chain: 'ETH', hashes: [IDS.ethBase], serializedTransaction: evmTx(ETH_SEPOLIA, 8) },
        { id: 'bsc-1', chain: 'BSC', hashes: [IDS.usdcBsc], serializedTransaction: evmTx(BSC_TESTNET, 9) },
      ]);

      await daemon('--chain', 'ETH,BSC');

      const pendingRequests = api.requests.filter((r) => /\/v3\/kms\/pending\//.test(r.path));
      const asked = (chain: string) =>
        pendingRequests
          .filter((r) => r.path.endsWith(`/${chain}`))
          .flatMap((r) => (r.body as { signatureIds: string[] }).signatureIds);
      expect(asked('ETH').sort()).toEqual([IDS.usdt, IDS.ethBase].sort());
      expect(asked('BSC')).toEqual([IDS.usdcBsc]);
      expect(signer('usdt-1')).toBe(vectors.chains.ETH.testnet.generateAddressFromXPub['1']);
      expect(signer('base-1')).toBe(vectors.chains.ETH.testnet.generateAddressFromXPub['0']);
      expect(signer('bsc-1')).toBe(vectors.chains.ETH.testnet.generateAddressFromXPub['0']);
    }, 90_000);

    it('--chain USDT names ETH', async () => {
      api.addPending({
        id: 'usdt-2',
        chain: 'ETH',
        hashes: [IDS.usdt],
        index: 2,
        serializedTransaction: evmTx(ETH_SEPOLIA, 10),
      });

      await daemon('--chain', 'USDT');

      expect(signer('usdt-2')).toBe(vectors.chains.ETH.testnet.generateAddressFromXPub['2']);
    }, 90_000);
  });
});
