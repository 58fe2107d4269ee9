import ecc from '@bitcoinerlab/secp256k1';
import { Transaction, script as bscript } from 'bitcoinjs-lib';
import { ECPairFactory } from 'ecpair';
import { hash160 } from './utxo-keys';
import { keyHashScript, p2pkhScript } from './utxo-script';
import {
  bitcoreOf,
  type BitcoreJson,
  rejection,
  requestOf,
  utxoSigner,
  vectorsOf,
  type SigningVector,
} from './utxo-signing.test-helpers';

const ECPair = ECPairFactory(ecc);
const HALF_N = BigInt('0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0');
const ECDSA_VECTORS = [...vectorsOf('BTC'), ...vectorsOf('LTC'), ...vectorsOf('DOGE')];
const [BTC_SEGWIT, BTC_MIXED] = vectorsOf('BTC');
const [LTC_TWO_INPUTS] = vectorsOf('LTC');
const [DOGE_TWO_INPUTS] = vectorsOf('DOGE');

type Prevout = { script: Buffer; satoshis: number };
const prevoutsOf = (vector: SigningVector): Prevout[] =>
  bitcoreOf(vector).inputs.map((input) => ({
    script: Buffer.from(input.output.script, 'hex'),
    satoshis: input.output.satoshis,
  }));

/**
 * Independent check with bitcoinjs-lib + ecpair (libsecp256k1): each input's signature is strict DER,
 * low-S, SIGHASH_ALL, by the key its previous script names, over the right digest.
 */
function inputVerifies(tx: Transaction, i: number, prevout: Prevout): boolean {
  const input = tx.ins[i];
  const [signature, publicKey] =
    input.witness.length > 0 ? input.witness : (bscript.decompile(input.script) as Buffer[]);
  const spent = keyHashScript(prevout.script);
  if (!spent || !Buffer.from(hash160(publicKey)).equals(Buffer.from(spent.pubKeyHash))) return false;
  if ((spent.type === 'p2wpkh') !== input.witness.length > 0) return false;
  const decoded = bscript.signature.decode(signature);
  if (decoded.hashType !== Transaction.SIGHASH_ALL) return false;
  if (BigInt(`0x${Buffer.from(decoded.signature.subarray(32)).toString('hex')}`) > HALF_N) return false;
  const sighash =
    spent.type === 'p2pkh'
      ? tx.hashForSignature(i, prevout.script, Transaction.SIGHASH_ALL)
      : tx.hashForWitnessV0(
          i,
          p2pkhScript(spent.pubKeyHash),
          BigInt(prevout.satoshis),
          Transaction.SIGHASH_ALL,
        );
  return ECPair.fromPublicKey(publicKey).verify(sighash, decoded.signature);
}

/** The same transaction with one bit of input i's signature (inside R) flipped; DER stays well-formed. */
function tamper(txHex: string, i: number): Transaction {
  const tx = Transaction.fromHex(txHex);
  const input = tx.ins[i];
  const signature = Buffer.from(
    input.witness.length > 0 ? input.witness[0] : (bscript.decompile(input.script)![0] as Buffer),
  );
  signature[10] ^= 0x01;
  if (input.witness.length > 0) tx.setWitness(i, [signature, input.witness[1]]);
  else tx.setInputScript(i, bscript.compile([signature, bscript.decompile(input.script)![1] as Buffer]));
  return tx;
}

/** The unsigned raw hex a vector's bitcore JSON describes (what older SDKs sent for off-chain withdrawals). */
function unsignedHexOf(vector: SigningVector): string {
  const json = bitcoreOf(vector);
  const tx = new Transaction();
  tx.version = json.version;
  tx.locktime = json.nLockTime;
  for (const input of json.inputs)
    tx.addInput(Buffer.from(input.prevTxId, 'hex').reverse(), input.outputIndex, input.sequenceNumber);
  for (const output of json.outputs)
    tx.outs.push({ script: Buffer.from(output.script, 'hex'), value: BigInt(output.satoshis) });
  expect(tx.getId()).toBe(json.hash);
  return tx.toHex();
}

describe('UTXO transaction signing (BTC, LTC, DOGE: bitcore JSON)', () => {
  it.each(ECDSA_VECTORS.map((v) => [v.name, v] as const))(
    '%s: reproduces the SDK txData',
    async (_, vector) => {
      const txData = await utxoSigner(vector.chain).signTransaction(requestOf(vector));
      expect(txData).toBe(vector.expectedTxData);
    },
  );

  it.each(ECDSA_VECTORS.map((v) => [v.name, v] as const))(
    '%s: every signature verifies, and a tampered one does not',
    async (_, vector) => {
      const txData = await utxoSigner(vector.chain).signTransaction(requestOf(vector));
      const prevouts = prevoutsOf(vector);
      const tx = Transaction.fromHex(txData);
      prevouts.forEach((prevout, i) => expect(inputVerifies(tx, i, prevout)).toBe(true));
      prevouts.forEach((prevout, i) => expect(inputVerifies(tamper(txData, i), i, prevout)).toBe(false));
    },
  );

  it('ignores key order and unrelated keys', async () => {
    const btc = utxoSigner('BTC');
    const unrelated = (await btc.generateKeyPair(false)).privateKey;
    for (const keys of [
      [...BTC_MIXED.privateKeys].reverse(),
      [unrelated, ...BTC_MIXED.privateKeys],
      [BTC_MIXED.privateKeys[1], unrelated, BTC_MIXED.privateKeys[0], BTC_MIXED.privateKeys[1]],
    ]) {
      expect(await btc.signTransaction(requestOf(BTC_MIXED, { keys }))).toBe(BTC_MIXED.expectedTxData);
    }
  });

  it('rejects the transaction when an input has no key, rather than half-signing it', async () => {
    const message = await rejection(
      utxoSigner('LTC').signTransaction(requestOf(LTC_TWO_INPUTS, { keys: [LTC_TWO_INPUTS.privateKeys[0]] })),
    );
    expect(message).toBe("Invalid LTC pending transaction: input 1 cannot be signed by the wallet's keys");
    await rejection(utxoSigner('LTC').signTransaction(requestOf(LTC_TWO_INPUTS, { keys: [] })));
  });

  it('rejects a hash that is not the txid of the described transaction', async () => {
    const json = bitcoreOf(BTC_SEGWIT);
    json.hash = json.hash!.replace(/^./, (c: string) => (c === '0' ? '1' : '0'));
    const message = await rejection(
      utxoSigner('BTC').signTransaction(
        requestOf(BTC_SEGWIT, { serializedTransaction: JSON.stringify(json) }),
      ),
    );
    expect(message).toMatch(/hash [0-9a-f]{64} is not the txid/);
    // a changed amount changes the txid, so the original hash no longer matches either
    const changed = bitcoreOf(BTC_SEGWIT);
    changed.outputs[1].satoshis -= 1;
    changed.fee = changed.fee! + 1;
    await expect(
      utxoSigner('BTC').signTransaction(
        requestOf(BTC_SEGWIT, { serializedTransaction: JSON.stringify(changed) }),
      ),
    ).rejects.toThrow(/is not the txid/);
    delete changed.hash;
    await expect(
      utxoSigner('BTC').signTransaction(
        requestOf(BTC_SEGWIT, { serializedTransaction: JSON.stringify(changed) }),
      ),
    ).resolves.toMatch(/^02000000/);
  });

  const mutations: Array<[string, (tx: BitcoreJson) => unknown, RegExp]> = [
    ['not JSON', () => '{"version":2,', /not valid JSON/],
    ['an array', () => [], /must be an object/],
    ['hash not hex', (tx) => ({ ...tx, hash: 'zz' }), /hash must be 64 hex/],
    ['no inputs', (tx) => ({ ...tx, inputs: [] }), /inputs must be a non-empty array/],
    ['no outputs', (tx) => ({ ...tx, outputs: undefined }), /outputs must be a non-empty array/],
    ['version missing', (tx) => ({ ...tx, version: undefined }), /version must be an integer/],
    ['nLockTime negative', (tx) => ({ ...tx, nLockTime: -1 }), /nLockTime must be an integer/],
    ['prevTxId short', (tx) => set(tx, 'inputs.0.prevTxId', 'ab'), /inputs\[0\]\.prevTxId must be 64 hex/],
    ['outputIndex fractional', (tx) => set(tx, 'inputs.1.outputIndex', 0.5), /inputs\[1\]\.outputIndex/],
    ['sequence too big', (tx) => set(tx, 'inputs.0.sequenceNumber', 2 ** 32), /inputs\[0\]\.sequenceNumber/],
    [
      'input amount negative',
      (tx) => set(tx, 'inputs.0.output.satoshis', -1),
      /inputs\[0\]\.output\.satoshis must be a non-negative integer/,
    ],
    [
      'input amount a string',
      (tx) => set(tx, 'inputs.0.output.satoshis', '120000'),
      /inputs\[0\]\.output\.satoshis/,
    ],
    [
      'input amount fractional',
      (tx) => set(tx, 'inputs.0.output.satoshis', 1.5),
      /inputs\[0\]\.output\.satoshis/,
    ],
    ['input amount unsafe', (tx) => set(tx, 'inputs.0.output.satoshis', 2 ** 53), /at most 2\^53-1/],
    ['output amount negative', (tx) => set(tx, 'outputs.0.satoshis', -150000), /outputs\[0\]\.satoshis/],
    [
      'no previous output',
      (tx) => set(tx, 'inputs.0.output', undefined),
      /inputs\[0\]\.output must be an object/,
    ],
    [
      'previous script not hex',
      (tx) => set(tx, 'inputs.0.output.script', '0014zz'),
      /inputs\[0\]\.output\.script must be an even-length hex/,
    ],
    [
      'previous script odd',
      (tx) => set(tx, 'inputs.1.output.script', '0014b'),
      /inputs\[1\]\.output\.script/,
    ],
    [
      'output script empty',
      (tx) => set(tx, 'outputs.1.script', ''),
      /outputs\[1\]\.script must not be empty/,
    ],
    ['input already signed', (tx) => set(tx, 'inputs.0.script', '00'), /inputs\[0\]\.script must be empty/],
    [
      'same outpoint twice',
      (tx) => ({ ...tx, inputs: [tx.inputs[0], tx.inputs[0]] }),
      /inputs\[1\] spends the same output/,
    ],
    [
      'outputs exceed inputs',
      (tx) => set(tx, 'outputs.0.satoshis', 10 ** 9),
      /outputs spend more than the inputs/,
    ],
    [
      'fee contradicts amounts',
      (tx) => ({ ...tx, fee: 999 }),
      /fee 999 does not match the inputs minus the outputs \(1000\)/,
    ],
    ['changeIndex out of range', (tx) => ({ ...tx, changeIndex: 2 }), /changeIndex does not name an output/],
    [
      'P2SH previous script',
      (tx) => set(tx, 'inputs.0.output.script', `a914${'11'.repeat(20)}87`),
      /inputs\[0\] spends a script that is neither P2PKH nor P2WPKH/,
    ],
  ];

  it.each(mutations)(
    'rejects a transaction with %s (INVALID_PENDING_TX, no key quoted)',
    async (_, mutate, expected) => {
      const mutated = mutate(bitcoreOf(BTC_SEGWIT));
      const serializedTransaction = typeof mutated === 'string' ? mutated : JSON.stringify(mutated);
      const message = await rejection(
        utxoSigner('BTC').signTransaction(requestOf(BTC_SEGWIT, { serializedTransaction })),
      );
      expect(message).toMatch(/^Invalid BTC pending transaction: /);
      expect(message).toMatch(expected);
    },
  );

  it('rejects a non-string payload', async () => {
    await rejection(
      utxoSigner('BTC').signTransaction(
        requestOf(BTC_SEGWIT, { serializedTransaction: 42 as unknown as string }),
      ),
    );
  });

  it('rejects P2WPKH inputs on DOGE, which has no segwit', async () => {
    const json = bitcoreOf(DOGE_TWO_INPUTS);
    json.inputs[0].output.script = `0014${json.inputs[0].output.script.slice(6, 46)}`;
    delete json.hash;
    const message = await rejection(
      utxoSigner('DOGE').signTransaction(
        requestOf(DOGE_TWO_INPUTS, { serializedTransaction: JSON.stringify(json) }),
      ),
    );
    expect(message).toMatch(/inputs\[0\] spends a P2WPKH output, but DOGE has no segwit/);
  });

  it('rejects keys of another network with INVALID_PRIVATE_KEY, without quoting them', async () => {
    await rejection(
      utxoSigner('LTC').signTransaction(requestOf(LTC_TWO_INPUTS, { testnet: true })),
      'INVALID_PRIVATE_KEY',
    );
    await rejection(
      utxoSigner('LTC').signTransaction(
        requestOf(LTC_TWO_INPUTS, { keys: ['not-a-key', ...LTC_TWO_INPUTS.privateKeys] }),
      ),
      'INVALID_PRIVATE_KEY',
    );
  });

  describe('off-chain withdrawals', () => {
    it('signs the bitcore JSON form with the withdrawal keys (SDK 1.37 BTC)', async () => {
      const inputKeys = [...BTC_SEGWIT.privateKeys, undefined];
      const txData = await utxoSigner('BTC').signTransaction(
        requestOf(BTC_SEGWIT, { keys: [], inputKeys, withdrawal: true }),
      );
      expect(txData).toBe(BTC_SEGWIT.expectedTxData);
    });

    it.each([LTC_TWO_INPUTS, DOGE_TWO_INPUTS].map((v) => [v.chain, v] as const))(
      '%s: signs the raw-hex form positionally as P2PKH, giving the same bytes as the JSON form',
      async (chain, vector) => {
        const request = requestOf(vector, {
          serializedTransaction: unsignedHexOf(vector),
          keys: [],
          inputKeys: [...vector.privateKeys, undefined],
          withdrawal: true,
        });
        expect(await utxoSigner(chain).signTransaction(request)).toBe(vector.expectedTxData);
      },
    );

    it('rejects a raw-hex withdrawal with an input without key, a key without input, or bad hex', async () => {
      const ltc = utxoSigner('LTC');
      const hex = unsignedHexOf(LTC_TWO_INPUTS);
      const [key0, key1] = LTC_TWO_INPUTS.privateKeys;
      const withdrawal = (serializedTransaction: string, inputKeys: Array<string | undefined>) =>
        ltc.signTransaction(
          requestOf(LTC_TWO_INPUTS, { serializedTransaction, keys: [], inputKeys, withdrawal: true }),
        );

      expect(await rejection(withdrawal(hex, [key0, undefined]))).toMatch(
        /input 1 cannot be signed by the wallet's keys/,
      );
      expect(await rejection(withdrawal(hex, [key0]))).toMatch(/input 1 cannot be signed/);
      expect(await rejection(withdrawal(hex, [key0, key1, key0]))).toMatch(
        /has a key for input 2, but the transaction has 2 inputs/,
      );
      expect(await rejection(withdrawal(`${hex}00`, [key0, key1]))).toMatch(/is not a valid raw transaction/);
      expect(await rejection(withdrawal(hex.slice(0, 41), [key0, key1]))).toMatch(/even-length hex/);
      expect(await rejection(withdrawal(LTC_TWO_INPUTS.expectedTxData, [key0, key1]))).toMatch(
        /already has a scriptSig/,
      );
      expect(await rejection(withdrawal(BTC_SEGWIT.expectedTxData, [key0, key1]))).toMatch(
        /carries witness data/,
      );
    });
  });
});

/** A copy of `tx` with the value at a dotted path (`inputs.0.output.satoshis`) replaced. */
function set(tx: BitcoreJson, path: string, value: unknown): unknown {
  type Node = Record<string, unknown>;
  const copy = structuredClone(tx) as unknown as Node;
  const keys = path.split('.');
  const last = keys.pop()!;
  const parent = keys.reduce<Node>((node, key) => node[key] as Node, copy);
  parent[last] = value;
  return copy;
}
