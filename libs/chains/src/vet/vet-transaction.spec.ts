import vectors from '@kms/test-fixtures/derivation.json';
import { KmsError } from '@kms/common';
import { hexToBytes } from '@noble/hashes/utils.js';
import { secp256k1 as thorSecp256k1, Transaction } from 'thor-devkit';
import type { ChainNetwork, NodeRestRequest } from '../chain-network.port';
import type { SignRequest } from '../chain-signer.port';
import { VetSigner } from './vet.signer';

/**
 * VET signing checked with thor-devkit (VeChain's own library): the signed transaction decodes, its
 * origin is the wallet, its clause is the pending one, its fields follow Tatum's SDK (thorify), and
 * its signature is the one thor-devkit itself computes; tampering changes the origin.
 */
const MAIN = vectors.chains.VET.mainnet;
const TEST = vectors.chains.VET.testnet;
const KEY = MAIN.generatePrivateKeyFromMnemonic['0'];
const ADDRESS = MAIN.generateAddressFromXPub['0'];
const TO = MAIN.generateAddressFromXPub['1'];
const BEST_ID = '0x0134a2f1c0ffee00aa55aa55aa55aa55aa55aa55aa55aa55aa55aa55aa55aa55';
const TOKEN = '0x0000000000000000000000000000456e65726779';
const TRANSFER_DATA = `0xa9059cbb000000000000000000000000${TO.slice(2)}0000000000000000000000000000000000000000000000000de0b6b3a7640000`;

interface Calls {
  method: string;
  params: unknown[];
}

/**
 * A Thor node (REST) answering `getBestBlock` (GET blocks/best) and `inspectClauses`
 * (POST accounts/*?revision=best) from `answers`; calls are recorded by those names. Every call must
 * name VeChain's public node of its network as the fallback, as Tatum's SDK uses.
 */
function scriptedNetwork(
  answers: Record<string, unknown> = {},
  testnet = false,
): ChainNetwork & { calls: Calls[] } {
  const calls: Calls[] = [];
  const node = async (name: string, request: NodeRestRequest) => {
    expect(name).toBe('VET');
    expect(request.fallback).toEqual({
      url: testnet ? 'https://sync-testnet.vechain.org' : 'https://sync-mainnet.vechain.org',
    });
    const method =
      request.method === 'GET' && request.path === 'blocks/best'
        ? 'getBestBlock'
        : request.method === 'POST' && request.path === 'accounts/*?revision=best'
          ? 'inspectClauses'
          : `${request.method} ${request.path}`;
    calls.push({ method, params: request.body === undefined ? [] : [request.body] });
    if (!(method in answers)) throw new Error(`unexpected call ${method}`);
    return { status: 200, body: answers[method] };
  };
  return {
    calls,
    tatum: () => Promise.reject(new Error('VET signing calls no Tatum API endpoint')),
    node: node as ChainNetwork['node'],
  };
}
const NODE = {
  getBestBlock: { id: BEST_ID, number: 20226801 },
  inspectClauses: [{ data: '0x', events: [], transfers: [], gasUsed: 0, reverted: false, vmError: '' }],
};

const vet = new VetSigner();
const request = (tx: unknown, network: ChainNetwork, options: Partial<SignRequest> = {}): SignRequest => ({
  serializedTransaction: typeof tx === 'string' ? tx : JSON.stringify(tx),
  keys: [KEY],
  withdrawal: false,
  testnet: false,
  network,
  ...options,
});
const decode = (txData: string) => {
  expect(txData).toMatch(/^0x(?:[0-9a-f]{2})+$/);
  return Transaction.decode(Buffer.from(txData.slice(2), 'hex'));
};

async function expectRejected(promise: Promise<unknown>, code: string, detail: RegExp): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(KmsError);
  expect((error as KmsError).code).toBe(code);
  expect((error as KmsError).message).toMatch(detail);
  expect((error as KmsError).message).not.toContain(KEY.slice(4, 24));
}

describe('VET transaction signing', () => {
  it('signs a Tatum VET transfer: origin is the wallet, clause unchanged, thorify defaults, node blockRef and gas', async () => {
    const network = scriptedNetwork(NODE);
    const pending = { from: 0, to: TO, value: '1230000000000000000' };
    const tx = decode(await vet.signTransaction(request(pending, network)));

    expect(tx.origin).toBe(ADDRESS);
    expect(tx.body.clauses).toEqual([
      { to: TO, value: '0x' + 1_230_000_000_000_000_000n.toString(16), data: '0x' },
    ]);
    expect(tx.body).toMatchObject({
      chainTag: 0x4a,
      blockRef: BEST_ID.slice(0, 18),
      expiration: 720,
      gasPriceCoef: 0,
      gas: 21000,
      dependsOn: null,
    });
    expect(BigInt(tx.body.nonce)).toBeLessThan(1n << 64n);
    expect(network.calls).toEqual([
      { method: 'getBestBlock', params: [] },
      {
        method: 'inspectClauses',
        params: [{ clauses: [{ to: TO, value: '0x1111d67bb1bb0000', data: '0x' }], caller: ADDRESS }],
      },
    ]);
  });

  it('produces the signature thor-devkit computes (r || s || recovery over blake2b256 of the body)', async () => {
    const pending = { to: TO, value: '5', gas: 21000, blockRef: '0x00000000aabbccdd', nonce: '0x1234' };
    const txData = await vet.signTransaction(request(pending, scriptedNetwork()));
    const tx = decode(txData);
    const reference = new Transaction(tx.body);
    reference.signature = thorSecp256k1.sign(reference.signingHash(), Buffer.from(hexToBytes(KEY.slice(2))));
    expect(txData).toBe(`0x${reference.encode().toString('hex')}`);
    expect(tx.id).toBe(reference.id);
  });

  it('signs on testnet with its chain tag and the testnet key', async () => {
    const key = TEST.generatePrivateKeyFromMnemonic['2'];
    const tx = decode(
      await vet.signTransaction(
        request({ to: TO, value: 1 }, scriptedNetwork(NODE, true), { testnet: true, keys: [key] }),
      ),
    );
    expect(tx.body.chainTag).toBe(0x27);
    expect(tx.origin).toBe(TEST.generateAddressFromXPub['2']);
  });

  it('takes gas, blockRef, expiration, gasPriceCoef, dependsOn and nonce from the JSON, without the network', async () => {
    const dependsOn = `0x${'ab'.repeat(32)}`;
    const pending = {
      to: TO.toUpperCase().replace('0X', '0x'),
      value: '0x10',
      data: '0xCAFE',
      gasLimit: '50000',
      blockRef: '0x00000000AABBCCDD',
      expiration: 32,
      gasPriceCoef: 128,
      dependsOn,
      nonce: 987654321,
      chainTag: 0x4a,
      gasPrice: '1000000000',
    };
    const first = await vet.signTransaction(request(pending, scriptedNetwork()));
    expect(await vet.signTransaction(request(pending, scriptedNetwork()))).toBe(first);
    const tx = decode(first);
    expect(tx.origin).toBe(ADDRESS);
    expect(tx.body).toMatchObject({
      chainTag: 0x4a,
      blockRef: '0x00000000aabbccdd',
      expiration: 32,
      gasPriceCoef: 128,
      gas: 50000,
      dependsOn,
      nonce: 987654321,
      clauses: [{ to: TO, value: 16, data: '0xcafe' }],
    });
  });

  it('estimates a contract call as thorify does: intrinsic gas + VM gas + 15,000', async () => {
    const network = scriptedNetwork({
      ...NODE,
      inspectClauses: [{ gasUsed: 29_000, reverted: false, vmError: '' }],
    });
    const tx = decode(await vet.signTransaction(request({ to: TOKEN, data: TRANSFER_DATA }, network)));
    const clauses = [{ to: TOKEN, value: 0, data: TRANSFER_DATA }];
    expect(tx.body.gas).toBe(Transaction.intrinsicGas(clauses) + 29_000 + 15_000);
    expect(tx.body.clauses).toEqual(clauses);
    expect(tx.origin).toBe(ADDRESS);
  });

  it('deploys a contract when there is no "to"', async () => {
    const tx = decode(
      await vet.signTransaction(
        request({ from: 0, data: '0x6080604052', gas: 100000 }, scriptedNetwork(NODE)),
      ),
    );
    expect(tx.body.clauses).toEqual([{ to: null, value: 0, data: '0x6080604052' }]);
    expect(tx.origin).toBe(ADDRESS);
  });

  it('a tampered signature or body does not verify as the wallet', async () => {
    const txData = await vet.signTransaction(
      request({ to: TO, value: '7', gas: 21000 }, scriptedNetwork(NODE)),
    );
    for (const at of [0, 40, 64]) {
      const tx = decode(txData);
      const signature = Buffer.from(tx.signature!);
      signature[at] ^= 1;
      tx.signature = signature;
      expect(tx.origin).not.toBe(ADDRESS);
    }
    const tx = decode(txData);
    const forged = new Transaction({ ...tx.body, clauses: [{ ...tx.body.clauses[0], value: 8 }] });
    forged.signature = tx.signature;
    expect(forged.origin).not.toBe(ADDRESS);
  });

  describe('fee cap on an estimated gas (VTHO)', () => {
    const estimated = (gasUsed: number) =>
      scriptedNetwork({ ...NODE, inspectClauses: [{ gasUsed, reverted: false, vmError: '' }] });

    it('refuses an estimate whose fee exceeds 50 VTHO, and a configured lower cap', async () => {
      // (intrinsic + 5,000,000 + 15,000) x 10^13 wei is about 50.3 VTHO
      await expectRejected(
        vet.signTransaction(request({ to: TOKEN, data: TRANSFER_DATA }, estimated(5_000_000))),
        'FEE_CAP_EXCEEDED',
        /exceeds the cap of 50 VTHO \(TATUM_KMS_MAX_FEE_VET\)/,
      );
      await expectRejected(
        vet.signTransaction(
          request({ to: TOKEN, data: TRANSFER_DATA }, estimated(29_000), { maxFee: '0.1' }),
        ),
        'FEE_CAP_EXCEEDED',
        /exceeds the cap of 0\.1 VTHO/,
      );
    });

    it('counts gasPriceCoef: 2,000,000 gas passes at coef 0 and is refused at 255', async () => {
      const tx = (gasPriceCoef: number) => ({ to: TOKEN, data: TRANSFER_DATA, gasPriceCoef });
      expect(
        decode(await vet.signTransaction(request(tx(0), estimated(2_000_000)))).body.gas,
      ).toBeGreaterThan(2_000_000);
      await expectRejected(
        vet.signTransaction(request(tx(255), estimated(3_000_000))),
        'FEE_CAP_EXCEEDED',
        /x \(1 \+ 255\/255\)/,
      );
    });

    it('keeps a gas set by the transaction, however high', async () => {
      const tx = decode(
        await vet.signTransaction(request({ to: TO, value: '1', gas: 30_000_000 }, scriptedNetwork(NODE))),
      );
      expect(tx.body.gas).toBe(30_000_000);
    });
  });

  describe('rejects', () => {
    it.each([
      ['text that is not JSON', '{"to":', /not valid JSON/],
      ['a JSON array', '[]', /not a JSON object/],
      ['a bad "to"', { to: '0x1234', value: '1' }, /to is not an address/],
      ['a bad checksum', { to: `0x${'aB'.repeat(20)}`, value: '1' }, /EIP-55/],
      ['no "to" and no data', { value: '1' }, /no "to" address and no contract code/],
      ['odd-length data', { to: TO, data: '0xabc' }, /data is not 0x-prefixed hex/],
      ['a negative value', { to: TO, value: '-1' }, /value is negative/],
      ['a fractional value', { to: TO, value: 1.5 }, /value is not a whole number/],
      ['gas of 0', { to: TO, gas: 0 }, /gas must be greater than 0/],
      ['disagreeing gas and gasLimit', { to: TO, gas: 21000, gasLimit: 22000 }, /gas and gasLimit disagree/],
      ['a bad blockRef', { to: TO, blockRef: '0x1234' }, /blockRef is not/],
      ['a bad dependsOn', { to: TO, dependsOn: '0x12' }, /dependsOn is not/],
      ['a gasPriceCoef above 255', { to: TO, gasPriceCoef: 256 }, /gasPriceCoef is out of range/],
      [
        'the chain tag of the other network',
        { to: TO, chainTag: 0x27 },
        /chainTag 39 is not the one of this network \(74\)/,
      ],
      ['a dynamic-fee transaction', { to: TO, maxFeePerGas: '1' }, /dynamic-fee/],
    ])('%s', async (_case, pending, detail) => {
      const network = scriptedNetwork(NODE);
      await expectRejected(vet.signTransaction(request(pending, network)), 'INVALID_PENDING_TX', detail);
      expect(network.calls).toEqual([]);
    });

    it('no key, or a malformed key, without echoing it', async () => {
      const network = scriptedNetwork(NODE);
      await expectRejected(
        vet.signTransaction(request({ to: TO }, network, { keys: [] })),
        'INVALID_PENDING_TX',
        /no private key/,
      );
      const bad = `${KEY.slice(0, 65)}x`;
      await expectRejected(
        vet.signTransaction(request({ to: TO }, network, { keys: [bad] })),
        'INVALID_PRIVATE_KEY',
        /Invalid private key for VET/,
      );
      expect(network.calls).toEqual([]);
    });

    it('a transaction that reverts when simulated', async () => {
      const network = scriptedNetwork({
        ...NODE,
        inspectClauses: [{ gasUsed: 500, reverted: true, vmError: 'execution reverted' }],
      });
      await expectRejected(
        vet.signTransaction(request({ to: TOKEN, data: TRANSFER_DATA }, network)),
        'INVALID_PENDING_TX',
        /reverts when simulated/,
      );
    });

    it.each([
      ['a best block without an id', { ...NODE, getBestBlock: { number: 1 } }, /best block/],
      ['a best block id that is not 32 bytes', { ...NODE, getBestBlock: { id: '0x1234' } }, /best block/],
      ['no best block', { ...NODE, getBestBlock: null }, /best block/],
      ['no simulation result', { ...NODE, inspectClauses: [] }, /gas estimate/],
      ['a gasUsed that is not a number', { ...NODE, inspectClauses: [{ gasUsed: '21000' }] }, /gas estimate/],
    ])('a node answer with %s', async (_case, answers, detail) => {
      await expectRejected(
        vet.signTransaction(request({ to: TO, value: '1' }, scriptedNetwork(answers))),
        'INVALID_NETWORK_ANSWER',
        detail,
      );
    });
  });
});
