import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import * as Cardano from '@emurgo/cardano-serialization-lib-nodejs';
import {
  Address,
  Transaction as EgldTransaction,
  TransactionComputer,
  UserVerifier,
} from '@multiversx/sdk-core';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { blake2b } from '@noble/hashes/blake2.js';
import { sha3_256 } from '@noble/hashes/sha3.js';
import { encodeTransactionPayload } from '@onflow/sdk';
import { Transaction as ThorTransaction } from 'thor-devkit';
import type { AdaRosettaPath } from '@kms/chains/testing';
import { decodeRosettaEnvelope } from '@kms/chains/testing';
import { fakeRosetta, tatumOperations } from '@kms/chains/testing';
import { FakeFlowAccessNode } from './support/fake-flow-access-node';
import { FakeTatumApi } from './support/fake-tatum-api';
import { json, type KmsRun, tempDir } from './support/kms-cli';
import { runKmsInProcess } from './support/kms-in-process';
import { writeTestWalletFile } from './support/wallet-files';

/**
 * The daemon signs the chains whose signing needs a node beyond nonce and fee, end to end: VET
 * (best block and gas estimate from a Thor node), EGLD (network config from a MultiversX node), ADA
 * (Cardano Rosetta construction calls) through the fake Tatum API's node gateway (REST form), and
 * FLOW: our prepared format (no node), and Tatum's own format, proposed and paid through the fake
 * Tatum API's FLOW endpoints and submitted to a fake Flow access node that verifies signatures. Wallets are stored through the CLI, pending transactions are built the way Tatum
 * builds them, and what the daemon broadcasts is checked with each chain's own library for the
 * wallet's key. VET once more with TATUM_KMS_NODE_URL_VET: the operator's node replaces the gateway.
 */
const PASSWORD = 'node-chains-password';
const API_KEY = 'node-chains-api-key';

describe('daemon --runOnce --testnet on VET, EGLD, FLOW and ADA', () => {
  const { dir, cleanup } = tempDir();
  let api: FakeTatumApi;
  const env = () => ({ TATUM_KMS_PASSWORD: PASSWORD, TATUM_API_URL: api.url, HOME: dir });
  const daemon = (chain: string, path: string, extraEnv: Record<string, string> = {}): Promise<KmsRun> =>
    runKmsInProcess(
      ['daemon', '--runOnce', '--testnet', '--chain', chain, '--path', path, '--apiKey', API_KEY],
      {
        env: { ...env(), ...extraEnv },
        timeoutMs: 60_000,
      },
    );
  const expectSuccess = (run: KmsRun) => {
    if (run.code !== 0) throw new Error(`daemon failed (${run.code}): ${run.stdout}${run.stderr}`);
  };
  /** A testnet HD wallet made by the CLI, and its address at index 0. */
  const hdWallet = async (chain: string, path: string) => {
    const wallet = json<{ signatureId: string; xpub?: string }>(
      await runKmsInProcess(['generatemanagedwallet', chain, '--testnet', '--path', path], { env: env() }),
    );
    const { address } = json<{ address: string }>(
      await runKmsInProcess(['getaddress', wallet.signatureId, '0', '--path', path], { env: env() }),
    );
    return { ...wallet, address };
  };
  /** The txData of every broadcast of a pending id: exactly one is expected. */
  const broadcastOf = (id: string): string => {
    const sent = api.broadcasts.filter((b) => b.signatureId === id);
    expect(sent).toHaveLength(1);
    return sent[0].txData;
  };
  /** Calls under a node base path (`/v3/blockchain/node/cardano-preprod/{key}/`, `/v3/egld/node/{key}/`). */
  const nodeCalls = (base: string) =>
    api.requests
      .filter((request) => request.path.startsWith(`${base}/${API_KEY}/`))
      .map(({ method, path, query, body }) => ({
        method,
        path: path.slice(`${base}/${API_KEY}/`.length) + query,
        body,
      }));

  beforeAll(async () => {
    api = await FakeTatumApi.start({ apiKey: API_KEY });
  });
  afterAll(async () => {
    await api.stop();
    cleanup();
  });

  describe('VET', () => {
    const BEST_BLOCK = { id: `0x00d3e1f0${'5a'.repeat(28)}`, number: 13_886_960 };
    const TO = '0x7567d83b7b8d80addcb281a71d54fc7b3364ffed';
    const DATA = `0xa9059cbb000000000000000000000000${'ab'.repeat(20)}0000000000000000000000000000000000000000000000000de0b6b3a7640000`;
    const VM_GAS = 23_456;
    /** Tatum's pending VET transaction: thorify's config, without blockRef and gas. */
    const pendingVet = (id: string, signatureId: string) => ({
      id,
      chain: 'VET',
      hashes: [signatureId],
      index: 0,
      serializedTransaction: JSON.stringify({ to: TO, value: '1230000000000000000', data: DATA }),
    });
    /** A Thor node's REST API, as much of it as signing asks. */
    const thorNode = (method: string, path: string): unknown => {
      if (method === 'GET' && path === 'blocks/best') return BEST_BLOCK;
      if (method === 'POST' && path === 'accounts/*?revision=best') {
        return [{ data: '0x', events: [], transfers: [], gasUsed: VM_GAS, reverted: false, vmError: '' }];
      }
      return undefined;
    };
    const expectSignedByWallet = (txData: string, address: string) => {
      expect(txData).toMatch(/^0x(?:[0-9a-f]{2})+$/);
      const tx = ThorTransaction.decode(Buffer.from(txData.slice(2), 'hex'));
      const clause = { to: TO, value: `0x${1_230_000_000_000_000_000n.toString(16)}`, data: DATA };
      expect(tx.origin).toBe(address);
      expect(tx.body.clauses).toEqual([clause]);
      expect(tx.body.chainTag).toBe(0x27);
      expect(tx.body.blockRef).toBe(BEST_BLOCK.id.slice(0, 18));
      expect(tx.body.gas).toBe(ThorTransaction.intrinsicGas([clause]) + VM_GAS + 15_000);
      expect(tx.body).toMatchObject({ expiration: 720, gasPriceCoef: 0, dependsOn: null });
    };

    // Tatum's SDK signs VET against VeChain's public nodes (sync-testnet.vechain.org here), never a
    // Tatum endpoint; TATUM_KMS_NODE_URL_VET replaces the public node, as this test does.
    it('an HD wallet signs a transfer whose blockRef and gas come from a Thor node, never from Tatum', async () => {
      api.onNode('VET', () => {
        throw new Error('the gateway must not be used');
      });
      const seen: Array<{ method: string; url: string; body: unknown }> = [];
      const node = createServer(async (req, res) => {
        const text = await readText(req);
        seen.push({ method: req.method!, url: req.url!, body: text ? JSON.parse(text) : undefined });
        const answer = req.url!.startsWith('/thor/')
          ? thorNode(req.method!, req.url!.slice('/thor/'.length))
          : undefined;
        res.writeHead(answer === undefined ? 404 : 200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(answer ?? { error: 'not found' }));
      });
      try {
        await listen(node);
        const path = join(dir, 'vet-node.dat');
        await writeTestWalletFile(path, PASSWORD);
        const wallet = await hdWallet('VET', path);
        const gatewayCalls = api.requestsTo('node').length;
        api.addPending(pendingVet('vet-direct', wallet.signatureId));
        const url = `http://127.0.0.1:${(node.address() as AddressInfo).port}/thor/`;
        expectSuccess(await daemon('VET', path, { TATUM_KMS_NODE_URL_VET: url }));
        expectSignedByWallet(broadcastOf('vet-direct'), wallet.address);
        expect(seen.map(({ method, url }) => `${method} ${url}`).sort()).toEqual([
          'GET /thor/blocks/best',
          'POST /thor/accounts/*?revision=best',
        ]);
        expect(seen.find((call) => call.method === 'POST')!.body).toEqual({
          clauses: [{ to: TO, value: `0x${1_230_000_000_000_000_000n.toString(16)}`, data: DATA }],
          caller: wallet.address,
        });
        expect(api.broadcasts.find((b) => b.signatureId === 'vet-direct')!.path).toBe('vet');
        expect(api.requestsTo('node')).toHaveLength(gatewayCalls);
      } finally {
        api.onNode('VET', undefined);
        await close(node);
      }
    }, 120_000);
  });

  it("EGLD: an HD wallet signs Tatum's pending JSON; chain id and nonce from /v3/egld/node/{apiKey}, as the SDK", async () => {
    const path = join(dir, 'egld.dat');
    await writeTestWalletFile(path, PASSWORD);
    const wallet = await hdWallet('EGLD', path);
    expect(wallet.address).toMatch(/^erd1[02-9ac-hj-np-z]{58}$/);
    const receiver = Address.newFromHex('07'.repeat(32)).toBech32();
    // A MultiversX gateway answers {data, error, code}; Tatum serves it at /v3/egld/node/{apiKey}/...
    api.onNode('EGLD', (method, nodePath) =>
      method === 'GET' && nodePath === 'network/config'
        ? {
            data: {
              config: { erd_chain_id: 'T', erd_min_gas_price: 1_000_000_000, erd_min_transaction_version: 1 },
            },
            error: '',
            code: 'successful',
          }
        : method === 'GET' && nodePath === `address/${wallet.address}/nonce`
          ? { data: { nonce: 17 }, error: '', code: 'successful' }
          : undefined,
    );
    api.addPending({
      id: 'egld-1',
      chain: 'EGLD',
      hashes: [wallet.signatureId],
      index: 0,
      serializedTransaction: JSON.stringify({
        from: wallet.address,
        to: receiver,
        value: '0.25',
        data: 'kms e2e',
        gasPrice: 1_000_000_000,
        gasLimit: 70_000,
      }),
    });
    try {
      expectSuccess(await daemon('EGLD', path));
    } finally {
      api.onNode('EGLD', undefined);
    }

    const signed = JSON.parse(broadcastOf('egld-1')) as Record<string, unknown> & { signature: string };
    expect(signed).toEqual({
      nonce: 17,
      value: '250000000000000000',
      receiver,
      sender: wallet.address,
      gasPrice: 1_000_000_000,
      gasLimit: 70_000,
      data: Buffer.from('kms e2e').toString('base64'),
      chainID: 'T',
      version: 1,
      signature: expect.stringMatching(/^[0-9a-f]{128}$/),
    });
    expect(
      nodeCalls('/v3/egld/node')
        .map(({ method, path }) => `${method} ${path}`)
        .sort(),
    ).toEqual([`GET address/${wallet.address}/nonce`, 'GET network/config']);
    expect(api.requestsTo('nonce')).toEqual([]);
    expect(api.requests.filter((request) => request.path.startsWith('/v3/blockchain/node/'))).toEqual([]);
    const bytes = new TransactionComputer().computeBytesForSigning(
      new EgldTransaction({
        nonce: 17n,
        value: 250_000_000_000_000_000n,
        receiver: Address.newFromBech32(receiver),
        sender: Address.newFromBech32(wallet.address),
        gasPrice: 1_000_000_000n,
        gasLimit: 70_000n,
        data: Buffer.from('kms e2e'),
        chainID: 'T',
        version: 1,
      }),
    );
    const verifier = UserVerifier.fromAddress(Address.newFromBech32(wallet.address));
    const signature = Buffer.from(signed.signature, 'hex');
    expect(await verifier.verify(bytes, signature)).toBe(true);
    signature[40] ^= 1; // in s: a flipped bit of R may not even be a point
    expect(await verifier.verify(bytes, signature)).toBe(false);
  }, 120_000);

  describe('FLOW', () => {
    /** Flow account addresses are assigned on chain: any 8 bytes do for the signer block. */
    const ACCOUNT = '01cf0e2f2f715450';
    const PAYER = 'f8d6e0586b0a20c7';
    const CADENCE = 'transaction(amount: UFix64) { prepare(signer: AuthAccount) { log(amount) } }';
    const ARGUMENT = { type: 'UFix64', value: '2.50000000' };
    const REF_BLOCK = 'a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90';
    const path = join(dir, 'flow.dat');
    let wallet: { signatureId: string; address: string };

    beforeAll(async () => {
      await writeTestWalletFile(path, PASSWORD);
      wallet = await hdWallet('FLOW', path);
    }, 60_000);

    it('a prepared transaction is signed (payload, SHA3-256) by the wallet key', async () => {
      // A FLOW "address" in this KMS is the uncompressed public key of the account key.
      expect(wallet.address).toMatch(/^[0-9a-f]{128}$/);
      const transaction = {
        script: Buffer.from(CADENCE).toString('base64'),
        arguments: [Buffer.from(JSON.stringify(ARGUMENT)).toString('base64')],
        reference_block_id: REF_BLOCK,
        gas_limit: '9999',
        payer: PAYER,
        proposal_key: { address: `0x${ACCOUNT}`, key_index: '0', sequence_number: '7' },
        authorizers: [`0x${ACCOUNT}`],
        payload_signatures: [],
        envelope_signatures: [],
      };
      api.addPending({
        id: 'flow-1',
        chain: 'FLOW',
        hashes: [wallet.signatureId],
        index: 0,
        serializedTransaction: JSON.stringify({
          transaction,
          signer: { address: `0x${ACCOUNT}`, key_index: 0, hash_algorithm: 'SHA3_256' },
        }),
      });
      expectSuccess(await daemon('FLOW', path));

      const signed = JSON.parse(broadcastOf('flow-1'));
      expect(signed).toEqual({
        ...transaction,
        proposal_key: { ...transaction.proposal_key, address: ACCOUNT },
        authorizers: [ACCOUNT],
        payload_signatures: [{ address: ACCOUNT, key_index: '0', signature: expect.any(String) }],
      });
      const signature = Buffer.from(signed.payload_signatures[0].signature, 'base64');
      expect(signature).toHaveLength(64);
      const message = Buffer.from(
        encodeTransactionPayload({
          cadence: CADENCE,
          arguments: [ARGUMENT],
          refBlock: REF_BLOCK,
          computeLimit: 9999,
          proposalKey: { address: ACCOUNT, keyId: 0, sequenceNum: 7 },
          payer: PAYER,
          authorizers: [ACCOUNT],
        } as never),
        'hex',
      );
      const publicKey = Buffer.from(`04${wallet.address}`, 'hex');
      expect(secp256k1.verify(signature, sha3_256(message), publicKey, { prehash: false })).toBe(true);
      signature[3] ^= 1;
      expect(secp256k1.verify(signature, sha3_256(message), publicKey, { prehash: false })).toBe(false);
    }, 120_000);

    describe("Tatum's own {type, body} format", () => {
      const TATUM = 'e03daebed8ca0615';
      const TATUM_KEY = '5c2a9f1e7d3b8c4a6e0f1d2c3b4a59687766554433221100ffeeddccbbaa9988';
      const PROPOSAL_KEY_ID = 3;
      let node: FakeFlowAccessNode;
      const transfer = (id: string, withdrawalId?: string) =>
        api.addPending({
          id,
          ...(withdrawalId === undefined ? {} : { withdrawalId }),
          chain: 'FLOW',
          hashes: [wallet.signatureId],
          index: 0,
          serializedTransaction: JSON.stringify({
            type: 2,
            body: {
              account: `0x${ACCOUNT}`,
              to: `0x${PAYER}`,
              amount: '1.5',
              currency: 'FLOW',
              signatureId: wallet.signatureId,
            },
          }),
        });
      const withNode = () => daemon('FLOW', path, { TATUM_KMS_NODE_URL_FLOW: node.url });

      beforeAll(async () => {
        node = await FakeFlowAccessNode.start();
        const tatumPublic = FakeFlowAccessNode.publicKeyOf(TATUM_KEY);
        node.addAccount(TATUM, [
          { publicKey: tatumPublic },
          ...[1, 2, 3].map(() => ({ publicKey: tatumPublic, weight: 0 })),
        ]);
        node.addAccount(ACCOUNT, [{ publicKey: wallet.address }]); // the wallet's key, index 0
        api.setFlowKeys({
          proposer: { address: TATUM, keyId: PROPOSAL_KEY_ID, privateKey: TATUM_KEY },
          payer: { address: TATUM, keyId: 0, privateKey: TATUM_KEY },
        });
      });
      afterAll(async () => {
        api.setFlowKeys(undefined);
        await node.stop();
      });

      it('a transfer is proposed and paid by Tatum, authorized by the wallet, sealed; its id is broadcast', async () => {
        transfer('flow-tatum');
        expectSuccess(await withNode());

        // The access node verified the three signatures (payload: Tatum's proposal key and the
        // wallet key; envelope: Tatum's payer) with @onflow/sdk's encoders before accepting it.
        expect(node.submitted).toHaveLength(1);
        const [{ id, body }] = node.submitted;
        expect(body.authorizers).toEqual([ACCOUNT]);
        expect(body.payload_signatures.map((s: { address: string }) => s.address).sort()).toEqual(
          [ACCOUNT, TATUM].sort(),
        );
        expect(Buffer.from(body.script, 'base64').toString()).toContain(
          'import FlowToken from 0x7e60df042a9c0868',
        );
        expect(broadcastOf('flow-tatum')).toBe(id);
        // The proposal key went back to Tatum before the pending transaction was completed.
        const flowBroadcasts = api.broadcasts.filter((b) => b.path === 'flow' && b.txData === id);
        expect(flowBroadcasts.map((b) => [b.signatureId, b.proposalKey])).toEqual([
          [undefined, PROPOSAL_KEY_ID],
          ['flow-tatum', undefined],
        ]);
      }, 120_000);

      it('with a withdrawalId its id still goes to /v3/flow/broadcast, as tatum-kms does', async () => {
        transfer('flow-withdrawal', 'withdrawal-7');
        expectSuccess(await withNode());
        const [last] = node.submitted.slice(-1);
        expect(broadcastOf('flow-withdrawal')).toBe(last.id);
        expect(api.offchainBroadcasts).toEqual([]);
      }, 120_000);

      it('failed on chain: the Cadence error goes to the error batch, nothing is completed, the key is released', async () => {
        const batches = api.errorBatches.length;
        node.failNextExecution(
          '[Error Code: 1101] cadence runtime error: failed to borrow reference to sender vault',
        );
        transfer('flow-fails');
        try {
          const run = await withNode();
          expect(run.code).not.toBe(0);
          expect(`${run.stdout}${run.stderr}`).not.toContain(TATUM_KEY);
        } finally {
          api.removePending('flow-fails');
        }
        const [failed] = node.submitted.slice(-1);
        expect(api.broadcasts.filter((b) => b.signatureId === 'flow-fails')).toEqual([]);
        expect(api.broadcasts.filter((b) => b.proposalKey !== undefined).map((b) => b.txData)).toContain(
          failed.id,
        );
        const reported = api.errorBatches.slice(batches).flat();
        expect(reported).toEqual([
          { signatureId: 'flow-fails', error: expect.stringContaining('failed to borrow reference') },
        ]);
        expect(reported[0].error).toContain(failed.id);
      }, 120_000);
    });
  });

  it('ADA: an HD wallet signs Rosetta operations through the gateway; the witness verifies', async () => {
    const path = join(dir, 'ada.dat');
    await writeTestWalletFile(path, PASSWORD);
    const wallet = await hdWallet('ADA', path);
    expect(wallet.address).toMatch(/^addr_test1v/);
    const recipient = 'addr_test1vzfp68vn36ze5yz7x7evracmasuptjmz99qk4j23gun3pcqhlevq5';
    const utxo = 'e00f31565ef36d815dbc62b33ec956cb5fe0823aaa48533f2a4368b9d49ce801';
    const operations = tatumOperations(
      [{ address: wallet.address, txHash: utxo, index: 1, lovelace: 10_000_000n }],
      [
        { address: recipient, lovelace: 1_000_000n },
        { address: wallet.address, lovelace: 8_800_000n },
      ],
    );
    const rosetta = fakeRosetta(Cardano);
    api.onNode('cardano-preprod', (method, nodePath, body) =>
      method === 'POST'
        ? rosetta.adaRosetta('cardano-preprod', nodePath as AdaRosettaPath, body as object)
        : undefined,
    );
    api.addPending({
      id: 'ada-1',
      chain: 'ADA',
      hashes: [wallet.signatureId],
      index: 0,
      serializedTransaction: JSON.stringify(operations),
    });
    try {
      expectSuccess(await daemon('ADA', path));
    } finally {
      api.onNode('cardano-preprod', undefined);
    }

    expect(rosetta.calls.map((call) => call.path)).toEqual([
      'construction/preprocess',
      'construction/metadata',
      'construction/payloads',
      'construction/combine',
    ]);
    expect(rosetta.calls[0].body).toMatchObject({
      network_identifier: { blockchain: 'cardano', network: 'preprod' },
      operations,
    });
    expect(nodeCalls('/v3/blockchain/node/cardano-preprod')).toHaveLength(4);

    const transaction = Cardano.FixedTransaction.from_bytes(
      decodeRosettaEnvelope(broadcastOf('ada-1'), 'txData'),
    );
    expect(Buffer.from(transaction.raw_body())).toEqual(Buffer.from(rosetta.bodyBytes!));
    const body = transaction.body();
    expect(body.inputs().get(0).transaction_id().to_hex()).toBe(utxo);
    expect(body.inputs().get(0).index()).toBe(1);
    expect(body.outputs().get(0).address().to_bech32()).toBe(recipient);
    expect(body.fee().to_str()).toBe('200000');
    const vkeys = transaction.witness_set().vkeys()!;
    expect(vkeys.len()).toBe(1);
    const witness = vkeys.get(0);
    const publicKey = Cardano.Bip32PublicKey.from_hex(wallet.xpub!).derive(0).to_raw_key();
    expect(witness.vkey().public_key().to_hex()).toBe(publicKey.to_hex());
    const bodyHash = blake2b(transaction.raw_body(), { dkLen: 32 });
    expect(publicKey.verify(bodyHash, witness.signature())).toBe(true);
    expect(publicKey.verify(blake2b(bodyHash, { dkLen: 32 }), witness.signature())).toBe(false);
  }, 120_000);
});

function readText(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    req.on('data', (chunk) => (text += chunk));
    req.on('end', () => resolve(text));
    req.on('error', reject);
  });
}

function listen(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
}

function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
