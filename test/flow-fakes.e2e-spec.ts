import { secp256k1 } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { encodeTransactionEnvelope, encodeTransactionPayload, encodeTxIdFromVoucher } from '@onflow/sdk';
import { FakeFlowAccessNode } from './support/fake-flow-access-node';
import { FakeTatumApi } from './support/fake-tatum-api';

/**
 * Self-test of the FLOW fakes: a transaction built and signed with @onflow/sdk and noble (Tatum's
 * proposer and payer keys signing through the fake Tatum API) is accepted and sealed by the fake
 * access node, and broken variants are refused with 400.
 */
const TATUM = 'f8d6e0586b0a20c7';
const ALICE = '01cf0e2f2f715450';
const API_KEY = 'flow-test-key';
const proposerKey = bytesToHex(secp256k1.utils.randomSecretKey());
const payerKey = bytesToHex(secp256k1.utils.randomSecretKey());
const aliceKey = bytesToHex(secp256k1.utils.randomSecretKey());
const CADENCE = 'transaction(amount: UFix64) { prepare(signer: &Account) { log(amount) } }';
const ARGS = [{ type: 'UFix64', value: '1.50000000' }];

/** The fields these tests read in the fakes' answers. */
interface Answer {
  id: string;
  status: string;
  signature: string;
  address: string;
  keyId: number;
  keys: Array<{ sequence_number: string }>;
  [field: string]: unknown;
}
type RestBody = ReturnType<typeof restBody>;
type Sig = { address: string; keyId: number; sig: string };
/** The @onflow/sdk voucher shape (fits both its Voucher and Transaction types). */
interface Voucher {
  cadence: string;
  refBlock: string;
  computeLimit: number;
  arguments: Array<{ type: string; value: string }>;
  proposalKey: { address: string; keyId: number; sequenceNum: number };
  payer: string;
  authorizers: string[];
  payloadSigs: Sig[];
  envelopeSigs: Sig[];
}

describe('FLOW fakes', () => {
  let node: FakeFlowAccessNode;
  let tatum: FakeTatumApi;

  beforeAll(async () => {
    [node, tatum] = await Promise.all([FakeFlowAccessNode.start(), FakeTatumApi.start({ apiKey: API_KEY })]);
    node.addAccount(`0x${TATUM}`, [
      { publicKey: FakeFlowAccessNode.publicKeyOf(proposerKey) },
      { publicKey: FakeFlowAccessNode.publicKeyOf(payerKey), sequenceNumber: 7 },
    ]);
    node.addAccount(ALICE, [
      { publicKey: FakeFlowAccessNode.publicKeyOf(aliceKey), hashAlgorithm: 'SHA2_256' },
    ]);
    tatum.setFlowKeys({
      proposer: { address: TATUM, keyId: 0, privateKey: proposerKey },
      payer: { address: `0x${TATUM}`, keyId: 1, privateKey: payerKey },
    });
  });

  afterAll(async () => {
    await Promise.all([node?.stop(), tatum?.stop()]);
  });

  async function call<T = Answer>(
    base: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; json: T }> {
    const response = await fetch(`${base}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': API_KEY },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, json: (await response.json()) as T };
  }

  async function tatumSign(data: string, isPayer: boolean): Promise<string> {
    const { status, json } = await call(tatum.url, '/v3/flow/sign', { data, isPayer });
    expect(status).toBe(200);
    expect(json.signature).toMatch(/^[0-9a-f]{128}$/);
    return json.signature;
  }

  /** A signed transfer-like transaction: Tatum proposes (payload) and pays (envelope), Alice authorizes. */
  async function signedTransaction(overrides: { sequenceNum?: number; refBlock?: string } = {}) {
    const proposal = (await call(tatum.url, '/v3/flow/proposal/false')).json;
    const payer = (await call(tatum.url, '/v3/flow/proposal/true')).json;
    const block = (await call<Array<{ header: { id: string } }>>(node.url, '/v1/blocks?height=sealed'))
      .json[0].header;
    const account = (await call(node.url, `/v1/accounts/${proposal.address}?block_height=final&expand=keys`))
      .json;
    const voucher: Voucher = {
      cadence: CADENCE,
      refBlock: overrides.refBlock ?? block.id,
      computeLimit: 999,
      arguments: ARGS,
      proposalKey: {
        address: proposal.address.slice(2),
        keyId: proposal.keyId,
        sequenceNum: overrides.sequenceNum ?? Number(account.keys[proposal.keyId].sequence_number),
      },
      payer: payer.address.slice(2),
      authorizers: [ALICE],
      payloadSigs: [],
      envelopeSigs: [],
    };
    const payload = encodeTransactionPayload(voucher);
    const aliceSig = bytesToHex(
      secp256k1.sign(sha256(Buffer.from(payload, 'hex')), hexToBytes(aliceKey), { prehash: false }),
    );
    voucher.payloadSigs = [
      { address: ALICE, keyId: 0, sig: aliceSig },
      { address: TATUM, keyId: proposal.keyId, sig: await tatumSign(payload, false) },
    ];
    const envelope = encodeTransactionEnvelope(voucher);
    voucher.envelopeSigs = [{ address: TATUM, keyId: payer.keyId, sig: await tatumSign(envelope, true) }];
    return { voucher, body: restBody(voucher) };
  }

  it('accepts a correctly signed transaction and seals it after sealAfterPolls polls', async () => {
    const { voucher, body } = await signedTransaction();
    expect(tatum.flowSignRequests.map((r) => r.isPayer)).toEqual([false, true]);
    node.sealAfterPolls = 2;
    const submitted = await call(node.url, '/v1/transactions', body);
    expect(submitted).toMatchObject({ status: 200, json: { id: encodeTxIdFromVoucher(voucher) } });
    const id = submitted.json.id;
    expect(node.submitted).toEqual([{ id, body }]);
    expect(node.sequenceNumber(TATUM, 0)).toBe(1);
    expect(node.sequenceNumber(TATUM, 1)).toBe(7);
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await call(node.url, `/v1/transaction_results/${id}`)).json);
    expect(statuses.map((s) => s.status)).toEqual(['Pending', 'Pending', 'Sealed']);
    expect(statuses[2]).toMatchObject({ execution: 'Success', status_code: 0, error_message: '' });
    expect((await call(node.url, `/v1/transactions/${id}`)).json.id).toBe(id);
    // Submitting it again is refused, and nothing moves.
    expect((await call(node.url, '/v1/transactions', body)).status).toBe(400);
    expect(node.sequenceNumber(TATUM, 0)).toBe(1);
  });

  it('scripts failed and expired outcomes', async () => {
    node.sealAfterPolls = 0;
    node.failNextExecution('error: [Error Code: 1101] cadence runtime error');
    const failed = await call(node.url, '/v1/transactions', (await signedTransaction()).body);
    expect((await call(node.url, `/v1/transaction_results/${failed.json.id}`)).json).toMatchObject({
      status: 'Sealed',
      execution: 'Failure',
      status_code: 1,
      error_message: 'error: [Error Code: 1101] cadence runtime error',
    });
    node.expireNext();
    const expired = await call(node.url, '/v1/transactions', (await signedTransaction()).body);
    expect((await call(node.url, `/v1/transaction_results/${expired.json.id}`)).json.status).toBe('Expired');
    expect(node.sequenceNumber(TATUM, 0)).toBe(3);
    expect((await call(node.url, `/v1/transaction_results/${'ab'.repeat(32)}`)).status).toBe(404);
  });

  it.each([
    [
      'a tampered signature',
      /invalid envelope signature/,
      (body: RestBody) => {
        const sig = Buffer.from(body.envelope_signatures[0].signature, 'base64');
        sig[10] ^= 1;
        body.envelope_signatures[0].signature = sig.toString('base64');
      },
    ],
    [
      "the authorizer's tampered SHA2-256 signature",
      /invalid payload signature by 01cf0e2f2f715450 key 0/,
      (body: RestBody) => (body.payload_signatures[0].signature = body.payload_signatures[1].signature),
    ],
    [
      'a missing payer signature',
      /payer .* envelope signatures/,
      (body: RestBody) => (body.envelope_signatures = []),
    ],
    [
      'a malformed gas limit',
      /gas_limit/,
      (body: RestBody) => ((body as Record<string, unknown>).gas_limit = 999),
    ],
  ])('refuses %s', async (_name, message, tamper) => {
    const { body } = await signedTransaction();
    tamper(body);
    const answer = await call(node.url, '/v1/transactions', body);
    expect(answer).toMatchObject({
      status: 400,
      json: { code: 400, message: expect.stringMatching(message) },
    });
  });

  it('refuses a stale sequence number and an unknown reference block', async () => {
    const stale = await call(
      node.url,
      '/v1/transactions',
      (await signedTransaction({ sequenceNum: 0 })).body,
    );
    expect(stale).toMatchObject({ status: 400, json: { message: expect.stringMatching(/sequence number/) } });
    const old = node.latestBlockId;
    node.advanceBlocks(600);
    const expired = await call(
      node.url,
      '/v1/transactions',
      (await signedTransaction({ refBlock: old })).body,
    );
    expect(expired).toMatchObject({
      status: 400,
      json: { message: expect.stringMatching(/reference block/) },
    });
    expect(node.sequenceNumber(TATUM, 0)).toBe(3);
  });

  it('serves the Tatum FLOW helpers: key release, validation, no keys', async () => {
    const release = await call(tatum.url, '/v3/flow/broadcast', { txData: '', proposalKey: 0 });
    expect(release).toEqual({ status: 200, json: { txId: '' } });
    expect(tatum.broadcasts.at(-1)).toMatchObject({ chain: 'FLOW', txData: '', proposalKey: 0 });
    expect((await call(tatum.url, '/v3/flow/sign', { data: 'xyz', isPayer: true })).status).toBe(400);
    expect((await call(tatum.url, '/v3/flow/sign', { data: 'abcd', isPayer: 'true' })).status).toBe(400);
    tatum.setFlowKeys(undefined);
    const none = await call(tatum.url, '/v3/flow/proposal/true');
    expect(none).toMatchObject({ status: 403, json: { errorCode: 'flow.proposal.unavailable' } });
    expect(tatum.requestsTo('flow-proposal').length).toBeGreaterThan(0);
  });
});

/** The REST form of a signed voucher. */
function restBody(voucher: Voucher) {
  const sigs = (list: Sig[]) =>
    list.map((s) => ({
      address: s.address,
      key_index: String(s.keyId),
      signature: Buffer.from(s.sig, 'hex').toString('base64'),
    }));
  return {
    script: Buffer.from(voucher.cadence).toString('base64'),
    arguments: voucher.arguments.map((a) => Buffer.from(JSON.stringify(a)).toString('base64')),
    reference_block_id: voucher.refBlock,
    gas_limit: String(voucher.computeLimit),
    payer: voucher.payer,
    proposal_key: {
      address: voucher.proposalKey.address,
      key_index: String(voucher.proposalKey.keyId),
      sequence_number: String(voucher.proposalKey.sequenceNum),
    },
    authorizers: voucher.authorizers,
    payload_signatures: sigs(voucher.payloadSigs),
    envelope_signatures: sigs(voucher.envelopeSigs),
  };
}
