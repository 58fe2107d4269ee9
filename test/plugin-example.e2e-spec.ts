import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { HDNodeWallet, Transaction } from 'ethers';
import { Anvil } from './support/anvil';
import { FakeTatumApi } from './support/fake-tatum-api';
import { json, runKms, tempDir } from './support/kms-cli';
import { writeTestWalletFile } from './support/wallet-files';

/**
 * The example plugin (examples/evm-l2-plugin: Base, chain id 8453 / Base Sepolia 84532), installed as a
 * user installs it: `npm pack`ed, unpacked into a folder outside this repository with no node_modules,
 * and named by TATUM_KMS_PLUGINS. The unmodified build stores a Base wallet, and `daemon --runOnce`
 * signs the pending transactions served by the fake Tatum API and broadcasts them at the plugin's own
 * path (/v3/base/broadcast); the fake forwards them (and the nonce and node calls) to anvil running
 * with Base Sepolia's chain id, which decides whether the signatures are valid.
 */
const PASSWORD = 'plugin-example-password';
const API_KEY = 'plugin-example-api-key';
const EXAMPLE = join(__dirname, '..', 'examples', 'evm-l2-plugin');
const BASE_SEPOLIA = 84532;
/** A public test mnemonic (never a real wallet's). */
const MNEMONIC = 'urge pulp usage sister evidence arrest palm math please chief egg abuse';
const ETHER = 10n ** 18n;

describe('the example plugin (Base), packed and installed as a user does', () => {
  const { dir, cleanup } = tempDir('kms-plugin-example-');
  const path = join(dir, 'wallets.dat');
  let plugin: string;
  let api: FakeTatumApi;
  let anvil: Anvil;
  const env = () => ({
    TATUM_KMS_PASSWORD: PASSWORD,
    TATUM_API_URL: api.url,
    TATUM_KMS_PLUGINS: plugin,
    HOME: dir,
  });

  beforeAll(async () => {
    // npm pack, as the plugin's author publishes it; tar -x, as a user installs the tarball.
    const packed = JSON.parse(
      execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], {
        cwd: EXAMPLE,
        encoding: 'utf8',
      }),
    ) as Array<{ filename: string }>;
    execFileSync('tar', ['-xzf', join(dir, packed[0].filename), '-C', dir]);
    plugin = join(dir, 'package');

    [api, anvil] = await Promise.all([
      FakeTatumApi.start({ apiKey: API_KEY }),
      Anvil.start({ chainId: BASE_SEPOLIA }),
    ]);
    api.forwardNonces((_path, address) => anvil.nonce(address));
    api.onRpc('BASE', (method, params) => anvil.rpc(method, params as unknown[]));
    api.forwardBroadcasts('BASE', (txData) => anvil.sendRawTransaction(txData));
    await writeTestWalletFile(path, PASSWORD);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([api?.stop(), anvil?.stop()]);
    cleanup();
  });

  it('the package holds the plugin only, and nothing in apps/ or libs/ names it', () => {
    expect(readdirSync(plugin).sort()).toEqual([
      'README.md',
      'base-chain.js',
      'base.signer.js',
      'index.js',
      'package.json',
    ]);
    expect(existsSync(join(plugin, 'node_modules'))).toBe(false);
    const grep = spawnSync(
      'git',
      ['grep', '-l', '-i', '-e', 'evm-l2-plugin', '-e', 'kms-plugin-base', '--', 'apps', 'libs'],
      { cwd: join(__dirname, '..'), encoding: 'utf8' },
    );
    // git grep exits 1 when nothing matches.
    expect({ status: grep.status, files: grep.stdout }).toEqual({ status: 1, files: '' });
  });

  it('stores a Base wallet, then daemon --runOnce signs and broadcasts legacy and EIP-1559 transfers that anvil mines', async () => {
    const stored = await runKms(['storemanagedwallet', 'BASE', '--testnet', '--path', path], {
      env: env(),
      input: `${MNEMONIC}\n`,
    });
    expect(stored.stderr).toBe('');
    const { signatureId } = json<{ signatureId: string }>(stored);
    // Base Sepolia derives at Tatum's EVM testnet path, checked here with ethers, not the KMS's code.
    const from = HDNodeWallet.fromPhrase(MNEMONIC, undefined, "m/44'/1'/0'/0/0").address.toLowerCase();
    const address = await runKms(['getaddress', signatureId, '0', '--path', path], { env: env() });
    expect(json<{ address: string }>(address).address).toBe(from);

    await anvil.setBalance(from, 10n * ETHER);
    const to = '0x00000000000000000000000000000000000b45e1';
    const pending = (id: string, tx: object) => ({
      id,
      chain: 'BASE',
      hashes: [signatureId],
      index: 0,
      serializedTransaction: JSON.stringify(tx),
    });
    const runDaemon = async () => {
      const run = await runKms(
        ['daemon', '--runOnce', '--testnet', '--chain', 'BASE', '--path', path, '--apiKey', API_KEY],
        { env: env(), timeoutMs: 120_000 },
      );
      expect({ code: run.code, stderr: run.stderr }).toMatchObject({ code: 0 });
    };
    const mined = async (id: string) => {
      const broadcast = api.broadcasts.find((b) => b.signatureId === id);
      expect(broadcast).toMatchObject({ path: 'base' });
      const receipt = await anvil.receipt(broadcast!.txId!);
      const tx = Transaction.from(broadcast!.txData);
      return { receipt, tx };
    };

    // 1. Legacy (EIP-155): the nonce from /v3/base/transaction/count, gas price and limit from Base's node.
    api.addPending(pending('base-legacy', { to, value: '1230000000000000' }));
    await runDaemon();
    const legacy = await mined('base-legacy');
    expect(legacy.receipt).toMatchObject({ status: '0x1', type: '0x0', from, to });
    expect({ chainId: legacy.tx.chainId, value: legacy.tx.value }).toEqual({
      chainId: BigInt(BASE_SEPOLIA),
      value: 1_230_000_000_000_000n,
    });
    expect(api.requests.map((r) => r.path)).toContain(`/v3/base/transaction/count/${from}`);
    expect(await anvil.balance(to)).toBe(1_230_000_000_000_000n);

    // 2. EIP-1559 (type 2): maxFeePerGas set by the transaction, the priority fee from the node.
    const gasPrice = BigInt(await anvil.rpc<string>('eth_gasPrice'));
    api.addPending(pending('base-1559', { to, value: '42', maxFeePerGas: (gasPrice * 2n).toString() }));
    await runDaemon();
    const eip1559 = await mined('base-1559');
    expect(eip1559.receipt).toMatchObject({ status: '0x1', type: '0x2', from, to });
    expect({ chainId: eip1559.tx.chainId, value: eip1559.tx.value, nonce: eip1559.tx.nonce }).toEqual({
      chainId: BigInt(BASE_SEPOLIA),
      value: 42n,
      nonce: 1,
    });
    expect(await anvil.balance(to)).toBe(1_230_000_000_000_042n);
    expect(api.pendingTransactions).toEqual([]);
  }, 240_000);
});
