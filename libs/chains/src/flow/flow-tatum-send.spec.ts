import { KmsError } from '@kms/common';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { FakeFlowAccessNode } from '@kms/test-support/fake-flow-access-node';
import { FakeTatumApi } from '@kms/test-support/fake-tatum-api';
import type { ChainNetwork, NodeRestRequest } from '../chain-network.port';
import type { SignRequest } from '../chain-signer.port';
import { FlowSigner } from './flow.signer';
import { transferTemplate } from './flow-templates';

/** The wallet's account (authorizer) and Tatum's account (proposer keys 1.., payer key 0). */
const ACCOUNT = '1d0f4a4cbbb4a3b5';
const TATUM = 'f8d6e0586b0a20c7';
const RECIPIENT = '0ae53cb6e3f42a79';
const WALLET_KEY = bytesToHex(secp256k1.utils.randomSecretKey());
const OTHER_KEY = bytesToHex(secp256k1.utils.randomSecretKey());
const TATUM_KEY = bytesToHex(secp256k1.utils.randomSecretKey());
const PROPOSAL_KEY_ID = 7;

function transfer(amount = '12.5'): string {
  return JSON.stringify({
    type: 2,
    body: {
      account: `0x${ACCOUNT}`,
      to: `0x${RECIPIENT}`,
      amount,
      currency: 'FLOW',
      signatureId: 'wallet-id',
    },
  });
}

/** The daemon's FLOW network in miniature: Tatum's FLOW endpoints and an access node, over HTTP. */
function network(tatum: FakeTatumApi, node: FakeFlowAccessNode): ChainNetwork {
  const json = async (response: Response) => ({
    status: response.status,
    body: await response.json().catch(() => undefined),
  });
  const tatumCall = async (method: string, path: string, body?: unknown) => {
    const answer = await json(
      await fetch(`${tatum.url}${path}`, {
        method,
        headers: body ? { 'content-type': 'application/json' } : {},
        body: body ? JSON.stringify(body) : undefined,
      }),
    );
    if (answer.status >= 300) throw new Error(`Tatum ${path}: HTTP ${answer.status}`);
    return answer.body;
  };
  const access = async (name: string, request: NodeRestRequest) => {
    if (name !== 'FLOW') throw new Error(`unexpected node ${name}`);
    return json(
      await fetch(`${node.url}/${request.path}`, {
        method: request.method,
        headers: request.body ? { 'content-type': 'application/json' } : {},
        body: request.body ? JSON.stringify(request.body) : undefined,
      }),
    );
  };
  return {
    tatum: (method, path, body) => tatumCall(method, path, body),
    node: access as ChainNetwork['node'],
  };
}

async function rejection(promise: Promise<unknown>, code: string): Promise<KmsError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(KmsError);
  expect((error as KmsError).code).toBe(code);
  for (const secret of [WALLET_KEY, TATUM_KEY]) expect((error as KmsError).message).not.toContain(secret);
  return error as KmsError;
}

describe("FlowSigner, Tatum's format: built, signed, submitted and sealed", () => {
  let tatum: FakeTatumApi;
  let node: FakeFlowAccessNode;
  let signer: FlowSigner;
  let net: ChainNetwork;

  beforeEach(async () => {
    tatum = await FakeTatumApi.start();
    node = await FakeFlowAccessNode.start();
    node.sealAfterPolls = 1;
    const tatumPublic = FakeFlowAccessNode.publicKeyOf(TATUM_KEY);
    node.addAccount(TATUM, [
      { publicKey: tatumPublic, weight: 1000 },
      ...Array.from({ length: 10 }, (_, i) => ({
        publicKey: tatumPublic,
        weight: 0,
        sequenceNumber: 40 + i,
      })),
    ]);
    node.addAccount(ACCOUNT, [
      { publicKey: FakeFlowAccessNode.publicKeyOf(OTHER_KEY), revoked: true },
      { publicKey: FakeFlowAccessNode.publicKeyOf(WALLET_KEY) },
    ]);
    tatum.setFlowKeys({
      proposer: { address: TATUM, keyId: PROPOSAL_KEY_ID, privateKey: TATUM_KEY },
      payer: { address: TATUM, keyId: 0, privateKey: TATUM_KEY },
    });
    signer = new FlowSigner({ sealTimeoutMs: 1_000, pollIntervalMs: 10 });
    net = network(tatum, node);
  });

  afterEach(async () => {
    await tatum.stop();
    await node.stop();
  });

  const request = (
    serializedTransaction: string,
    keys = [WALLET_KEY],
    pendingId = 'pending-1',
  ): SignRequest => ({
    pendingId,
    serializedTransaction,
    keys,
    withdrawal: false,
    testnet: true,
    network: net,
  });

  const releases = () =>
    tatum.broadcasts.filter((b) => b.proposalKey !== undefined).map((b) => [b.txData, b.proposalKey]);

  it('a transfer: the access node verifies every signature; txData is its transaction id', async () => {
    const sequence = node.sequenceNumber(TATUM, PROPOSAL_KEY_ID);
    const txId = await signer.signTransaction(request(transfer()));

    expect(node.submitted).toHaveLength(1);
    const [{ id, body }] = node.submitted;
    expect(txId).toBe(id); // id computed by @onflow/sdk's encodeTxIdFromVoucher in the fake
    expect(Buffer.from(body.script, 'base64').toString()).toBe(transferTemplate('FLOW', true));
    expect(body.arguments.map((a: string) => JSON.parse(Buffer.from(a, 'base64').toString()))).toEqual([
      { type: 'UFix64', value: '12.50000000' },
      { type: 'Address', value: `0x${RECIPIENT}` },
    ]);
    expect(body).toMatchObject({
      reference_block_id: node.latestBlockId,
      gas_limit: '1000',
      payer: TATUM,
      proposal_key: { address: TATUM, key_index: String(PROPOSAL_KEY_ID), sequence_number: String(sequence) },
      authorizers: [ACCOUNT],
    });
    // Our key is the account's key 1 (key 0 is revoked); Tatum signed the proposal and the envelope.
    expect(
      body.payload_signatures.map((s: { address: string; key_index: string }) => [s.address, s.key_index]),
    ).toEqual([
      [TATUM, String(PROPOSAL_KEY_ID)],
      [ACCOUNT, '1'],
    ]);
    expect(
      body.envelope_signatures.map((s: { address: string; key_index: string }) => [s.address, s.key_index]),
    ).toEqual([[TATUM, '0']]);
    expect(tatum.flowSignRequests.map((r) => r.isPayer).sort()).toEqual([false, true]);
    expect(node.sequenceNumber(TATUM, PROPOSAL_KEY_ID)).toBe(sequence + 1);
    expect(releases()).toEqual([[txId, PROPOSAL_KEY_ID]]);
  });

  it('a key hashed with SHA2-256 signs with SHA2-256', async () => {
    node.addAccount(ACCOUNT, [
      { publicKey: FakeFlowAccessNode.publicKeyOf(WALLET_KEY), hashAlgorithm: 'SHA2_256' },
    ]);
    const txId = await signer.signTransaction(request(transfer()));
    expect(node.submitted.map((s) => s.id)).toEqual([txId]);
  });

  it('a tampered transaction (amount changed after signing) is refused by the access node', async () => {
    await signer.signTransaction(request(transfer('1')));
    const { body } = node.submitted[0];
    const tampered = {
      ...body,
      arguments: [
        Buffer.from(JSON.stringify({ type: 'UFix64', value: '1000.00000000' })).toString('base64'),
        body.arguments[1],
      ],
      proposal_key: {
        ...body.proposal_key,
        sequence_number: String(node.sequenceNumber(TATUM, PROPOSAL_KEY_ID)),
      },
    };
    const answer = await fetch(`${node.url}/v1/transactions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(tampered),
    });
    expect(answer.status).toBe(400);
    expect(((await answer.json()) as { message: string }).message).toMatch(/signature/i);
  });

  it('create account, add key and custom transactions go through the same path', async () => {
    const publicKey = FakeFlowAccessNode.publicKeyOf(OTHER_KEY);
    const pendings = [
      { type: 0, body: { account: ACCOUNT, publicKey } },
      { type: 1, body: { account: ACCOUNT, publicKey, weight: 500 } },
      {
        type: 8,
        body: {
          account: ACCOUNT,
          transaction: 'transaction(n: UInt64) { prepare(signer: &Account) { log(n) } }',
          args: [{ type: 'UInt64', value: '5' }],
        },
      },
    ];
    for (const [i, pending] of pendings.entries()) {
      await signer.signTransaction(request(JSON.stringify(pending), [WALLET_KEY], `p${i}`));
    }
    expect(node.submitted).toHaveLength(3);
    expect(
      node.submitted[1].body.arguments.map((a: string) => JSON.parse(Buffer.from(a, 'base64').toString())),
    ).toEqual([
      { type: 'String', value: publicKey },
      { type: 'UFix64', value: '500.00000000' },
    ]);
  });

  it("a wallet key that is not an active key of the account: FLOW_ACCOUNT_KEY, Tatum's keys untouched", async () => {
    const error = await rejection(
      signer.signTransaction(request(transfer(), [OTHER_KEY])),
      'FLOW_ACCOUNT_KEY',
    );
    expect(error.message).toContain(`0x${ACCOUNT}`);
    node.addAccount(ACCOUNT, [{ publicKey: FakeFlowAccessNode.publicKeyOf(WALLET_KEY), weight: 500 }]);
    expect(
      (await rejection(signer.signTransaction(request(transfer())), 'FLOW_ACCOUNT_KEY')).message,
    ).toContain('weight');
    await rejection(
      signer.signTransaction(
        request(
          JSON.stringify({
            type: 2,
            body: { account: '0x01', to: RECIPIENT, amount: '1', currency: 'FLOW' },
          }),
        ),
      ),
      'FLOW_ACCOUNT_KEY',
    );
    expect(tatum.requestsTo('flow-proposal')).toHaveLength(0);
    expect(node.submitted).toHaveLength(0);
  });

  it('failed on chain: FLOW_FAILED with the Cadence error, key released; the next attempt builds a new one', async () => {
    node.failNextExecution('panic: failed to borrow reference to sender vault');
    const error = await rejection(signer.signTransaction(request(transfer())), 'FLOW_FAILED');
    expect(error.message).toContain('failed to borrow reference to sender vault');
    expect(error.message).toContain(node.submitted[0].id);
    expect(releases()).toEqual([[node.submitted[0].id, PROPOSAL_KEY_ID]]);

    const txId = await signer.signTransaction(request(transfer()));
    expect(node.submitted.map((s) => s.id)).toEqual([expect.any(String), txId]);
  });

  it('refused by the access node: FLOW_REJECTED, key released with no transaction id', async () => {
    node.failNext(/\/v1\/transactions$/, {
      status: 400,
      body: { code: 400, message: 'invalid proposal key: sequence number mismatch' },
    });
    const error = await rejection(signer.signTransaction(request(transfer())), 'FLOW_REJECTED');
    expect(error.message).toContain('sequence number mismatch');
    expect(releases()).toEqual([['', PROPOSAL_KEY_ID]]);
  });

  it('expired: FLOW_EXPIRED, and a new attempt is made next time', async () => {
    node.expireNext();
    await rejection(signer.signTransaction(request(transfer())), 'FLOW_EXPIRED');
    await signer.signTransaction(request(transfer()));
    expect(node.submitted).toHaveLength(2);
  });

  it('not sealed in time: FLOW_TIMEOUT; never a second transaction for that pending id while it may land', async () => {
    node.sealAfterPolls = Infinity;
    const first = await rejection(signer.signTransaction(request(transfer())), 'FLOW_TIMEOUT');
    const [{ id }] = node.submitted;
    expect(first.message).toContain(id);
    expect(releases()).toEqual([[id, PROPOSAL_KEY_ID]]);

    const again = await rejection(signer.signTransaction(request(transfer())), 'FLOW_TIMEOUT');
    expect(again.message).toContain('no second one is sent');
    expect(node.submitted).toHaveLength(1);
    expect(tatum.requestsTo('flow-proposal')).toHaveLength(2); // proposer and payer, once

    // Another pending transaction is not held back by it.
    node.sealAfterPolls = 0;
    await signer.signTransaction(request(transfer(), [WALLET_KEY], 'pending-2'));
    expect(node.submitted).toHaveLength(2);

    // Once sealed, the retry answers the earlier id without sending anything.
    node.sealAfterPolls = 0;
    expect(await signer.signTransaction(request(transfer()))).toBe(id);
    expect(node.submitted).toHaveLength(2);
  });

  it.each(['close', '500'] as const)(
    'a submission without a clear answer (%s) is remembered by its id, not sent again',
    async (fault) => {
      node.failNext(/\/v1\/transactions$/, fault);
      await expect(signer.signTransaction(request(transfer()))).rejects.toThrow();
      expect(node.submitted).toHaveLength(0); // the fake closed the connection before taking it
      node.sealAfterPolls = 0;
      // Unknown to the node and not past expiry: held back rather than risk a double spend.
      const error = await rejection(signer.signTransaction(request(transfer())), 'FLOW_TIMEOUT');
      expect(error.message).toContain('unknown to the access node');
      expect(node.submitted).toHaveLength(0);
    },
  );

  it('an access node that answers another transaction id: FLOW_NODE_ANSWER, and that id is what is checked next', async () => {
    const other = 'ab'.repeat(32);
    node.failNext(/\/v1\/transactions$/, { status: 201, body: { id: other } });
    const error = await rejection(signer.signTransaction(request(transfer())), 'FLOW_NODE_ANSWER');
    expect(error.message).toContain('another id');
    expect(error.message).toContain(other);
    await rejection(signer.signTransaction(request(transfer())), 'FLOW_TIMEOUT');
    expect(node.requests.some((r) => r.path === `/v1/transaction_results/${other}`)).toBe(true);
  });

  it('Tatum without FLOW keys: the error says which call failed; nothing submitted', async () => {
    tatum.setFlowKeys(undefined);
    await expect(signer.signTransaction(request(transfer()))).rejects.toThrow(/proposal/);
    expect(node.submitted).toHaveLength(0);
  });

  it('an unknown proposal key: NODE_ANSWER, the key is released', async () => {
    tatum.setFlowKeys({
      proposer: { address: TATUM, keyId: 99, privateKey: TATUM_KEY },
      payer: { address: TATUM, keyId: 0, privateKey: TATUM_KEY },
    });
    const error = await rejection(signer.signTransaction(request(transfer())), 'FLOW_NODE_ANSWER');
    expect(error.message).toContain('not on chain');
    expect(releases()).toEqual([['', 99]]);
  });
});
