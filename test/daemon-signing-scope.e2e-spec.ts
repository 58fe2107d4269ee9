import { join } from 'node:path';
import vectors from './fixtures/derivation.json';
import signing from './fixtures/signing.json';
import { Anvil } from './support/anvil';
import { FakeTatumApi } from './support/fake-tatum-api';
import { json, type KmsRun, tempDir } from './support/kms-cli';
import { runKmsInProcess } from './support/kms-in-process';
import { writeTestWalletFile } from './support/wallet-files';

/**
 * What the daemon signs is bounded by what it asked for, whatever the API answers:
 * - only with the wallets it asked pending transactions for in this cycle: the chain's wallets of its
 *   network (`--testnet` or not), within `--wallets`. A pending transaction naming any other wallet
 *   (a mainnet wallet in a testnet daemon, a wallet outside `--wallets`) is refused and reported;
 * - an EVM transaction only with the chain id of its chain and network.
 * The hostile items are served for a wallet the daemon did ask about. Good transactions beside them
 * are mined by anvil; refused ones never reach the broadcast endpoint.
 */
const PASSWORD = 'scope-password';
const API_KEY = 'scope-api-key';
const ETH_TESTNET = vectors.chains.ETH.testnet;
const ETH_MAINNET = vectors.chains.ETH.mainnet;

describe('daemon signs only within the wallets, network and chain id it asked for', () => {
  const { dir, cleanup } = tempDir();
  let api: FakeTatumApi;
  const env = () => ({ TATUM_KMS_PASSWORD: PASSWORD, TATUM_API_URL: api.url, HOME: dir });
  const store = async (path: string, command: string, chain: string, secret: string, testnet: boolean) =>
    json<{ signatureId: string }>(
      await runKmsInProcess([command, chain, ...(testnet ? ['--testnet'] : []), '--path', path], {
        env: env(),
        input: `${secret}\n`,
      }),
    ).signatureId;
  const daemon = (args: string[]): Promise<KmsRun> =>
    runKmsInProcess(['daemon', '--runOnce', '--testnet', ...args, '--apiKey', API_KEY], {
      env: env(),
      timeoutMs: 90_000,
    });
  const broadcastRequestsOf = (id: string) =>
    api.requestsTo('broadcast').filter((r) => (r.body as { signatureId?: string })?.signatureId === id);
  const reported = (id: string) =>
    api.errorBatches
      .flat()
      .filter((e) => e.signatureId === id)
      .map((e) => e.error);
  const transfer = (nonce: number, extra: Record<string, unknown> = {}) =>
    JSON.stringify({
      to: '0x00000000000000000000000000000000000000d1',
      value: '1000',
      nonce,
      gasPrice: '3000000000',
      gas: '21000',
      ...extra,
    });

  beforeAll(async () => {
    api = await FakeTatumApi.start({ apiKey: API_KEY });
  });
  afterEach(() => api.clearPending());
  afterAll(async () => {
    await api.stop();
    cleanup();
  });

  describe('ETH testnet (anvil, chain id 11155111)', () => {
    let anvil: Anvil;
    const path = join(dir, 'eth.dat');
    let testnetWallet: string;
    let otherTestnetWallet: string;
    let mainnetWallet: string;

    beforeAll(async () => {
      await writeTestWalletFile(path, PASSWORD);
      anvil = await Anvil.start({ chainId: 11155111 });
      api.forwardBroadcasts('ETH', (txData) => anvil.sendRawTransaction(txData));
      testnetWallet = await store(
        path,
        'storemanagedprivatekey',
        'ETH',
        ETH_TESTNET.generatePrivateKeyFromMnemonic['0'],
        true,
      );
      otherTestnetWallet = await store(
        path,
        'storemanagedprivatekey',
        'ETH',
        ETH_TESTNET.generatePrivateKeyFromMnemonic['1'],
        true,
      );
      mainnetWallet = await store(
        path,
        'storemanagedprivatekey',
        'ETH',
        ETH_MAINNET.generatePrivateKeyFromMnemonic['0'],
        false,
      );
      for (const address of [
        ETH_TESTNET.generateAddressFromXPub['0'],
        ETH_TESTNET.generateAddressFromXPub['1'],
        ETH_MAINNET.generateAddressFromXPub['0'],
      ])
        await anvil.setBalance(address, 10n ** 18n);
    }, 90_000);
    afterAll(async () => {
      api.forwardBroadcasts('ETH', undefined);
      await anvil?.stop();
    });

    it('--testnet: a transaction naming a mainnet wallet (chainId 1) is refused and reported; the testnet one is mined', async () => {
      api.addRawPending(
        {
          id: 'names-mainnet-wallet',
          chain: 'ETH',
          hashes: [mainnetWallet],
          serializedTransaction: transfer(0, { chainId: 1 }),
        },
        'ETH',
        [testnetWallet],
      );
      api.addRawPending(
        {
          id: 'mainnet-wallet-in-signatures',
          chain: 'ETH',
          hashes: [testnetWallet],
          signatures: [{ id: mainnetWallet }],
          serializedTransaction: transfer(0),
        },
        'ETH',
        [testnetWallet],
      );
      api.addPending({
        id: 'testnet-good',
        chain: 'ETH',
        hashes: [testnetWallet],
        serializedTransaction: transfer(0),
      });

      const run = await daemon(['--chain', 'ETH', '--path', path]);

      expect(run.code).toBe(1);
      for (const id of ['names-mainnet-wallet', 'mainnet-wallet-in-signatures']) {
        expect(broadcastRequestsOf(id)).toEqual([]);
        expect(reported(id)).toEqual([expect.stringContaining(`${mainnetWallet} is not one of the wallets`)]);
      }
      const [good] = api.broadcasts.filter((b) => b.signatureId === 'testnet-good');
      expect((await anvil.receipt(good.txId)).status).toBe('0x1');
      expect(await anvil.nonce(ETH_MAINNET.generateAddressFromXPub['0'])).toBe(0);
    }, 120_000);

    it('--wallets: a transaction naming a wallet outside the filter is refused and reported; the one inside is mined', async () => {
      api.addRawPending(
        {
          id: 'outside-filter',
          chain: 'ETH',
          hashes: [otherTestnetWallet],
          serializedTransaction: transfer(0),
        },
        'ETH',
        [testnetWallet],
      );
      api.addPending({
        id: 'inside-filter',
        chain: 'ETH',
        hashes: [testnetWallet],
        serializedTransaction: transfer(1),
      });

      const run = await daemon(['--chain', 'ETH', '--path', path, '--wallets', testnetWallet]);

      expect(run.code).toBe(1);
      expect(broadcastRequestsOf('outside-filter')).toEqual([]);
      expect(reported('outside-filter')).toEqual([
        expect.stringContaining(`${otherTestnetWallet} is not one of the wallets`),
      ]);
      expect(await anvil.nonce(ETH_TESTNET.generateAddressFromXPub['1'])).toBe(0);
      const [good] = api.broadcasts.filter((b) => b.signatureId === 'inside-filter');
      expect((await anvil.receipt(good.txId)).status).toBe('0x1');
    }, 120_000);
  });

  it('--testnet: the mainnet BCH vector naming a mainnet mnemonic wallet is refused and reported', async () => {
    const path = join(dir, 'bch.dat');
    await writeTestWalletFile(path, PASSWORD);
    const testnetWallet = await store(path, 'storemanagedwallet', 'BCH', signing.mnemonic, true);
    const mainnetWallet = await store(path, 'storemanagedwallet', 'BCH', signing.mnemonic, false);
    const vector = signing.vectors.find((v) => v.chain === 'BCH')!;
    const item = JSON.parse(
      JSON.stringify(vector.pendingTx).replaceAll(vector.wallet.signatureIds[0], mainnetWallet),
    ) as { id: string };
    api.addRawPending(item, 'BCH', [testnetWallet]);

    const run = await daemon(['--chain', 'BCH', '--path', path]);

    expect(run.code).toBe(1);
    expect(broadcastRequestsOf(item.id)).toEqual([]);
    expect(reported(item.id)).toEqual([
      expect.stringContaining(`${mainnetWallet} is not one of the wallets`),
    ]);
  }, 120_000);

  describe('BSC testnet (anvil, chain id 97)', () => {
    let anvil: Anvil;

    beforeAll(async () => {
      anvil = await Anvil.start({ chainId: 97 });
      api.forwardBroadcasts('BSC', (txData) => anvil.sendRawTransaction(txData));
      await anvil.setBalance(ETH_TESTNET.generateAddressFromXPub['0'], 10n ** 18n);
    }, 60_000);
    afterAll(async () => {
      api.forwardBroadcasts('BSC', undefined);
      await anvil?.stop();
    });

    it('a chainId that is not the chain id of BSC testnet (1, 56, 137, 43114) is refused; 97 and none are mined', async () => {
      const path = join(dir, 'bsc.dat');
      await writeTestWalletFile(path, PASSWORD);
      const wallet = await store(
        path,
        'storemanagedprivatekey',
        'BSC',
        ETH_TESTNET.generatePrivateKeyFromMnemonic['0'],
        true,
      );
      const refused = [1, 56, 137, 43114];
      for (const chainId of refused)
        api.addPending({
          id: `bsc-chain-${chainId}`,
          chain: 'BSC',
          hashes: [wallet],
          serializedTransaction: transfer(0, { chainId }),
        });
      api.addPending({
        id: 'bsc-chain-97',
        chain: 'BSC',
        hashes: [wallet],
        serializedTransaction: transfer(0, { chainId: '0x61' }),
      });
      api.addPending({
        id: 'bsc-no-chain-id',
        chain: 'BSC',
        hashes: [wallet],
        serializedTransaction: transfer(1),
      });

      const run = await daemon(['--chain', 'BSC', '--path', path]);

      expect(run.code).toBe(1);
      for (const chainId of refused) {
        expect(broadcastRequestsOf(`bsc-chain-${chainId}`)).toEqual([]);
        expect(reported(`bsc-chain-${chainId}`)).toEqual([
          expect.stringContaining(`chainId ${chainId} is not the chain id of BSC testnet (97)`),
        ]);
      }
      for (const id of ['bsc-chain-97', 'bsc-no-chain-id']) {
        const [sent] = api.broadcasts.filter((b) => b.signatureId === id);
        expect((await anvil.receipt(sent.txId)).status).toBe('0x1');
      }
      expect(await anvil.nonce(ETH_TESTNET.generateAddressFromXPub['0'])).toBe(2);
    }, 120_000);
  });
});
