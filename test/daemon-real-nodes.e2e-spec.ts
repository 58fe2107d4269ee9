import { Keypair, PublicKey, SystemProgram, Transaction as SolTransaction } from '@solana/web3.js';
import { address as ltcAddress, Transaction as UtxoTransaction } from 'bitcoinjs-lib';
import { getCreateAddress } from 'ethers';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { findUtxoChain } from '@kms/chains';
import vectors from './fixtures/derivation.json';
import { Anvil, erc20BalanceOf, erc20TransferData, minimalErc20CreationCode } from './support/anvil';
import { FakeTatumApi } from './support/fake-tatum-api';
import { json, tempDir, type KmsRun } from './support/kms-cli';
import { runKmsInProcess } from './support/kms-in-process';
import { writeTestWalletFile } from './support/wallet-files';
import { Litecoind } from './support/litecoind';
import { LiteSvmNetwork } from './support/litesvm-network';

/**
 * The daemon end to end against real verifiers: it pulls pending transactions from the fake Tatum
 * API, signs them, and the fake forwards the broadcast (and nonce/fee/node calls) to a real node:
 * anvil for ETH and ERC-20, litecoind regtest for LTC, LiteSVM for SOL. The node, not our code,
 * decides whether the signature is valid. (Tampered signatures: see the signer-level node specs.)
 */
const PASSWORD = 'real-nodes-password';
const API_KEY = 'real-nodes-api-key';
const ETH_TESTNET_CHAIN_ID = 11155111;

describe('daemon against real nodes', () => {
  const { dir, cleanup } = tempDir();
  let api: FakeTatumApi;
  const env = () => ({ TATUM_KMS_PASSWORD: PASSWORD, TATUM_API_URL: api.url, HOME: dir });
  const runDaemon = async (chain: string, path: string): Promise<KmsRun> => {
    const run = await runKmsInProcess(
      ['daemon', '--runOnce', '--testnet', '--chain', chain, '--path', path, '--apiKey', API_KEY],
      {
        env: env(),
        timeoutMs: 120_000,
      },
    );
    if (run.code !== 0) throw new Error(`daemon failed: ${run.stdout}${run.stderr}`);
    return run;
  };
  const storeMnemonic = async (chain: string, path: string) =>
    json<{ signatureId: string }>(
      await runKmsInProcess(['storemanagedwallet', chain, '--testnet', '--path', path], {
        env: env(),
        input: `${vectors.mnemonic}\n`,
      }),
    ).signatureId;

  beforeAll(async () => {
    api = await FakeTatumApi.start({ apiKey: API_KEY });
  });
  afterAll(async () => {
    await api.stop();
    cleanup();
  });

  describe('ETH on anvil', () => {
    let anvil: Anvil;
    beforeAll(async () => {
      anvil = await Anvil.start({ chainId: ETH_TESTNET_CHAIN_ID });
      api.forwardNonces((_path, address) => anvil.nonce(address));
      api.onRpc('ETH', (method, params) => anvil.rpc(method, params as unknown[]));
      api.setFee({ slow: '1000000000', medium: '2000000000', fast: '3000000000' });
      api.forwardBroadcasts('ETH', (txData) => anvil.sendRawTransaction(txData));
    }, 60_000);
    afterAll(() => anvil?.stop());

    it('a native transfer and an ERC-20 transfer are mined with status 1 and move the balances', async () => {
      const path = join(dir, 'eth.dat');
      await writeTestWalletFile(path, PASSWORD);
      const walletId = await storeMnemonic('ETH', path);
      const from = vectors.chains.ETH.testnet.generateAddressFromXPub['0'];
      const to = vectors.chains.ETH.testnet.generateAddressFromXPub['1'];
      await anvil.setBalance(from, 10n ** 19n);
      const pending = (id: string, tx: object) => ({
        id,
        chain: 'ETH',
        hashes: [walletId],
        index: 0,
        serializedTransaction: JSON.stringify(tx),
      });

      // 1. native transfer; nonce, gas price and gas limit are filled through the API (forwarded to anvil)
      const before = await anvil.balance(to);
      api.addPending(pending('eth-native', { to, value: '1230000000000000' }));
      await runDaemon('ETH', path);
      const native = api.broadcasts.find((b) => b.signatureId === 'eth-native')!;
      expect((await anvil.receipt(native.txId!)).status).toBe('0x1');
      expect((await anvil.balance(to)) - before).toBe(1_230_000_000_000_000n);

      // 2. deploy a minimal ERC-20 (contract creation), 3. transfer tokens with it
      const token = getCreateAddress({ from, nonce: await anvil.nonce(from) });
      api.addPending(pending('eth-deploy', { data: minimalErc20CreationCode(1_000_000n), gas: '500000' }));
      await runDaemon('ETH', path);
      expect(
        (await anvil.receipt(api.broadcasts.find((b) => b.signatureId === 'eth-deploy')!.txId!)).status,
      ).toBe('0x1');
      api.addPending(pending('eth-erc20', { to: token, data: erc20TransferData(to, 4_200n) }));
      await runDaemon('ETH', path);
      expect(
        (await anvil.receipt(api.broadcasts.find((b) => b.signatureId === 'eth-erc20')!.txId!)).status,
      ).toBe('0x1');
      expect(await erc20BalanceOf(anvil, token, to)).toBe(4_200n);
      expect(await erc20BalanceOf(anvil, token, from)).toBe(1_000_000n - 4_200n);
    }, 120_000);
  });

  const describeLtc = Litecoind.available() ? describe : describe.skip;
  describeLtc('LTC on litecoind regtest', () => {
    let node: Litecoind;
    beforeAll(async () => {
      node = await Litecoind.start();
      api.forwardBroadcasts('LTC', (txData) => node.rpc<string>('sendrawtransaction', [txData]));
    }, 90_000);
    afterAll(() => node?.stop(), 30_000);

    it('a spend of real regtest coins signed by the daemon is accepted and mined', async () => {
      const path = join(dir, 'ltc.dat');
      await writeTestWalletFile(path, PASSWORD);
      const walletId = await storeMnemonic('LTC', path);
      const regtest = { ...findUtxoChain('LTC')!.testnet, bech32: 'rltc' };
      const mine = vectors.chains.LTC.testnet.generateAddressFromXPub['0'];
      const recipient = vectors.chains.LTC.testnet.generateAddressFromXPub['1'];
      const script = (address: string) =>
        Buffer.from(ltcAddress.toOutputScript(address, regtest)).toString('hex');
      // a coinbase to our address, matured by 100 more blocks
      const [hash] = await node.rpc<string[]>('generatetoaddress', [1, mine]);
      await node.rpc('generatetoaddress', [100, recipient]);
      const block = await node.rpc<{
        tx: Array<{ txid: string; vout: Array<{ n: number; value: number; scriptPubKey: { hex: string } }> }>;
      }>('getblock', [hash, 2]);
      const coinbase = block.tx[0];
      const out = coinbase.vout.find((o) => o.scriptPubKey.hex === script(mine))!;
      const satoshis = Math.round(out.value * 1e8);
      const outputs = [
        { satoshis: 100_000_000, script: script(recipient) },
        { satoshis: satoshis - 100_000_000 - 100_000, script: script(mine) },
      ];
      const unsigned = new UtxoTransaction();
      unsigned.version = 2;
      unsigned.addInput(Buffer.from(coinbase.txid, 'hex').reverse(), out.n, 0xffffffff);
      for (const o of outputs) unsigned.addOutput(Buffer.from(o.script, 'hex'), BigInt(o.satoshis));
      api.addPending({
        id: 'ltc-spend',
        chain: 'LTC',
        hashes: [walletId],
        signatures: [{ id: walletId, index: 0 }],
        serializedTransaction: JSON.stringify({
          hash: unsigned.getId(),
          version: 2,
          inputs: [
            {
              prevTxId: coinbase.txid,
              outputIndex: out.n,
              sequenceNumber: 0xffffffff,
              script: '',
              output: { satoshis, script: script(mine) },
            },
          ],
          outputs,
          nLockTime: 0,
          fee: 100_000,
        }),
      });
      await runDaemon('LTC', path);
      const txid = api.broadcasts.find((b) => b.signatureId === 'ltc-spend')!.txId!;
      const [mined] = await node.rpc<string[]>('generatetoaddress', [1, recipient]);
      expect((await node.rpc<{ tx: string[] }>('getblock', [mined, 1])).tx).toContain(txid);
      const paid = await node.rpc<{ value: number; scriptPubKey: { hex: string } }>('gettxout', [txid, 0]);
      expect(Math.round(paid.value * 1e8)).toBe(100_000_000);
      expect(paid.scriptPubKey.hex).toBe(script(recipient));
    }, 120_000);
  });

  describe('SOL on LiteSVM', () => {
    it('a transfer signed by the daemon executes, and Tatum gets its signature', async () => {
      const svm = new LiteSvmNetwork();
      api.onRpc('SOL', (method, params) => svm.rpc('SOL', method, params as unknown[]));
      const path = join(dir, 'sol.dat');
      await writeTestWalletFile(path, PASSWORD);
      const wallet = json<{ signatureId: string; address: string }>(
        await runKmsInProcess(['generatemanagedwallet', 'SOL', '--testnet', '--path', path], { env: env() }),
      );
      svm.airdrop(wallet.address, 2_000_000_000n);
      const to = Keypair.generate().publicKey;
      const payer = new PublicKey(wallet.address);
      const message = new SolTransaction({
        feePayer: payer,
        recentBlockhash: '11111111111111111111111111111111',
      })
        .add(SystemProgram.transfer({ fromPubkey: payer, toPubkey: to, lamports: 250_000_000 }))
        .serializeMessage()
        .toString('hex');
      api.addPending({
        id: 'sol-transfer',
        chain: 'SOL',
        hashes: [wallet.signatureId],
        serializedTransaction: JSON.stringify({ txData: message }),
      });
      await runDaemon('SOL', path);
      expect(svm.balance(to.toBase58())).toBe(250_000_000n);
      const sent = api.broadcasts.find((b) => b.signatureId === 'sol-transfer')!;
      expect(sent.path).toMatch(/solana/);
      expect(svm.calls.some((call) => call.method === 'sendTransaction')).toBe(true);
      expect(sent.txData).toMatch(/^[1-9A-HJ-NP-Za-km-z]{64,88}$/);
    }, 60_000);

    it('with TATUM_KMS_NODE_URL_SOL the daemon talks to that node, not to the Tatum node gateway', async () => {
      const svm = new LiteSvmNetwork();
      api.onRpc('SOL', () => {
        throw new Error('the gateway must not be used');
      });
      const node = createServer((req, res) => {
        let body = '';
        req.on('data', (chunk) => (body += chunk));
        req.on('end', async () => {
          const { id, method, params } = JSON.parse(body);
          try {
            res.end(JSON.stringify({ jsonrpc: '2.0', id, result: await svm.rpc('SOL', method, params) }));
          } catch (error) {
            res.end(JSON.stringify({ jsonrpc: '2.0', id, error: { code: -32000, message: String(error) } }));
          }
        });
      });
      await new Promise<void>((resolve) => node.listen(0, '127.0.0.1', resolve));
      try {
        const path = join(dir, 'sol-node.dat');
        await writeTestWalletFile(path, PASSWORD);
        const nodeEnv = {
          ...env(),
          TATUM_KMS_NODE_URL_SOL: `http://127.0.0.1:${(node.address() as AddressInfo).port}/`,
        };
        const wallet = json<{ signatureId: string; address: string }>(
          await runKmsInProcess(['generatemanagedwallet', 'SOL', '--testnet', '--path', path], {
            env: nodeEnv,
          }),
        );
        svm.airdrop(wallet.address, 1_000_000_000n);
        const to = Keypair.generate().publicKey;
        const payer = new PublicKey(wallet.address);
        const message = new SolTransaction({
          feePayer: payer,
          recentBlockhash: '11111111111111111111111111111111',
        })
          .add(SystemProgram.transfer({ fromPubkey: payer, toPubkey: to, lamports: 5_000_000 }))
          .serializeMessage()
          .toString('hex');
        api.addPending({
          id: 'sol-direct',
          chain: 'SOL',
          hashes: [wallet.signatureId],
          serializedTransaction: JSON.stringify({ txData: message }),
        });
        const run = await runKmsInProcess(
          ['daemon', '--runOnce', '--testnet', '--chain', 'SOL', '--path', path, '--apiKey', API_KEY],
          {
            env: nodeEnv,
            timeoutMs: 60_000,
          },
        );
        expect(run.code).toBe(0);
        expect(svm.balance(to.toBase58())).toBe(5_000_000n);
        expect(api.broadcasts.some((b) => b.signatureId === 'sol-direct')).toBe(true);
      } finally {
        node.closeAllConnections();
        await new Promise((resolve) => node.close(resolve));
      }
    }, 60_000);
  });
});
