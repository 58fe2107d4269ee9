import { bytesToHex } from '@noble/hashes/utils.js';
import { Transaction, script as bscript } from 'bitcoinjs-lib';
import { runBchVm } from '@kms/test-support/bch-vm';
import { bchSchnorrSign, bchSchnorrVerify } from './bch-schnorr';
import { hash160 } from './utxo-keys';
import { p2pkhScript } from './utxo-script';
import { rejection, requestOf, utxoSigner, vectorsOf, type SigningVector } from './utxo-signing.test-helpers';
import { decodeWif } from './wif';

const SIGHASH_ALL_FORKID = 0x41;
const BCH_VECTORS = vectorsOf('BCH');
const [TWO_INPUTS, ONE_INPUT] = BCH_VECTORS;
const bch = utxoSigner('BCH');

const partsOf = (vector: SigningVector) => {
  const [hex, amounts] = vector.pendingTx.serializedTransaction.split(':');
  return { hex, amounts: JSON.parse(amounts) as number[] };
};
const privateKeyOf = (wif: string) => (decodeWif(wif, 0x80) as { privateKey: Uint8Array }).privateKey;

/** What the spent outputs were: P2PKH of key i, with amount i (the vectors' UTXOs). */
const sourceOutputsOf = (vector: SigningVector) =>
  partsOf(vector).amounts.map((amount, i) => {
    const publicKey = bscript.decompile(
      Transaction.fromHex(vector.expectedTxData).ins[i].script,
    )![1] as Buffer;
    return {
      lockingBytecode: p2pkhScript(hash160(publicKey)).toString('hex'),
      valueSatoshis: String(amount),
    };
  });

/** Input i's `<sig65> <pubkey>` and the FORKID digest it signs. */
function signatureOf(txHex: string, vector: SigningVector, i: number) {
  const tx = Transaction.fromHex(txHex);
  const [signature, publicKey] = bscript.decompile(tx.ins[i].script) as Buffer[];
  const digest = tx.hashForWitnessV0(
    i,
    p2pkhScript(hash160(publicKey)),
    BigInt(partsOf(vector).amounts[i]),
    SIGHASH_ALL_FORKID,
  );
  return { signature, publicKey, digest };
}

/** The same transaction with one bit of input i's Schnorr signature (inside s) flipped. */
function tamper(txHex: string, i: number): string {
  const tx = Transaction.fromHex(txHex);
  const [signature, publicKey] = bscript.decompile(tx.ins[i].script) as Buffer[];
  const tampered = Buffer.from(signature);
  tampered[40] ^= 0x01;
  tx.setInputScript(i, bscript.compile([tampered, publicKey]));
  return tx.toHex();
}

describe('BCH transaction signing (hex:amounts, Schnorr, SIGHASH_ALL|FORKID)', () => {
  it.each(BCH_VECTORS.map((v) => [v.name, v] as const))(
    '%s: reproduces the SDK txData',
    async (_, vector) => {
      expect(await bch.signTransaction(requestOf(vector))).toBe(vector.expectedTxData);
    },
  );

  it.each(BCH_VECTORS.map((v) => [v.name, v] as const))(
    '%s: 65-byte Schnorr signatures with 0x41 that verify; a tampered one does not',
    async (_, vector) => {
      const txData = await bch.signTransaction(requestOf(vector));
      partsOf(vector).amounts.forEach((_amount, i) => {
        const { signature, publicKey, digest } = signatureOf(txData, vector, i);
        expect(signature).toHaveLength(65);
        expect(signature[64]).toBe(SIGHASH_ALL_FORKID);
        expect(bchSchnorrVerify(signature.subarray(0, 64), digest, publicKey)).toBe(true);
        const tampered = signatureOf(tamper(txData, i), vector, i);
        expect(bchSchnorrVerify(tampered.signature.subarray(0, 64), tampered.digest, publicKey)).toBe(false);
        // the signature is bound to the amount: another amount gives another digest
        const otherDigest = Transaction.fromHex(txData).hashForWitnessV0(
          i,
          p2pkhScript(hash160(publicKey)),
          1n,
          SIGHASH_ALL_FORKID,
        );
        expect(bchSchnorrVerify(signature.subarray(0, 64), otherDigest, publicKey)).toBe(false);
      });
    },
  );

  it("verifies in @bitauth/libauth's BCH VM, which rejects a tampered signature; libauth signs the same bytes", async () => {
    const signed = await Promise.all(BCH_VECTORS.map((vector) => bch.signTransaction(requestOf(vector))));
    const verify = BCH_VECTORS.flatMap((vector, v) => [
      { txHex: signed[v], sourceOutputs: sourceOutputsOf(vector) },
      ...partsOf(vector).amounts.map((_, i) => ({
        txHex: tamper(signed[v], i),
        sourceOutputs: sourceOutputsOf(vector),
      })),
    ]);
    // the digest commits to the amount: the same transaction spending a different amount fails
    const wrongAmount = sourceOutputsOf(ONE_INPUT).map((output) => ({ ...output, valueSatoshis: '1000001' }));
    verify.push({ txHex: signed[1], sourceOutputs: wrongAmount });
    const schnorr = BCH_VECTORS.flatMap((vector, v) =>
      vector.privateKeys.map((wif, i) => ({
        privateKey: bytesToHex(privateKeyOf(wif)),
        messageHash: bytesToHex(signatureOf(signed[v], vector, i).digest),
      })),
    );

    const answer = await runBchVm({ verify, schnorr });

    const failed = expect.stringMatching(/failed a signature verification/);
    expect(answer.verify).toEqual([true, failed, failed, true, failed, failed]);
    const ours = BCH_VECTORS.flatMap((vector, v) =>
      vector.privateKeys.map((_, i) =>
        bytesToHex(signatureOf(signed[v], vector, i).signature.subarray(0, 64)),
      ),
    );
    expect(answer.schnorr).toEqual(ours);
  }, 60_000);

  it('signs off-chain withdrawals (same form) with inputKeys[i] for input i', async () => {
    const request = requestOf(TWO_INPUTS, {
      keys: [],
      inputKeys: [...TWO_INPUTS.privateKeys, undefined],
      withdrawal: true,
    });
    expect(await bch.signTransaction(request)).toBe(TWO_INPUTS.expectedTxData);
    const missing = requestOf(TWO_INPUTS, {
      keys: TWO_INPUTS.privateKeys,
      inputKeys: [undefined, TWO_INPUTS.privateKeys[1]],
      withdrawal: true,
    });
    expect(await rejection(bch.signTransaction(missing))).toMatch(
      /input 0 cannot be signed by the wallet's keys: the withdrawal has no key/,
    );
  });

  it('rejects raw hex without the amounts, which the FORKID digest needs', async () => {
    const { hex } = partsOf(ONE_INPUT);
    for (const withdrawal of [false, true]) {
      const request = requestOf(ONE_INPUT, {
        serializedTransaction: hex,
        withdrawal,
        inputKeys: ONE_INPUT.privateKeys,
      });
      expect(await rejection(bch.signTransaction(request))).toMatch(/input amounts are missing/);
    }
  });

  it('matches keys to inputs by position, and rejects a key count that does not fit', async () => {
    const [key0, key1] = TWO_INPUTS.privateKeys;
    expect(await rejection(bch.signTransaction(requestOf(TWO_INPUTS, { keys: [key0] })))).toMatch(
      /input 1 cannot be signed by the wallet's keys: the key list \(key i signs input i\) has no key for it/,
    );
    expect(await rejection(bch.signTransaction(requestOf(TWO_INPUTS, { keys: [key0, key1, key0] })))).toMatch(
      /has a key for input 2, but the transaction has 2 inputs/,
    );
  });

  const { hex, amounts } = partsOf(TWO_INPUTS);
  const malformed: Array<[string, string, RegExp]> = [
    ['not hex', `zz${hex}:[120000,80000]`, /the transaction hex must be an even-length hex string/],
    ['truncated hex', `${hex.slice(0, 100)}:[120000,80000]`, /is not a valid raw transaction/],
    ['trailing bytes', `${hex}00:[120000,80000]`, /is not a valid raw transaction/],
    ['a signed transaction', `${TWO_INPUTS.expectedTxData}:[120000,80000]`, /already has a scriptSig/],
    ['amounts not JSON', `${hex}:[120000,`, /the input amounts is not valid JSON/],
    ['amounts not an array', `${hex}:{"0":1}`, /the input amounts must be a non-empty array/],
    ['too few amounts', `${hex}:[120000]`, /1 input amounts for 2 inputs/],
    ['a negative amount', `${hex}:[120000,-1]`, /input amount 1 must be a non-negative integer/],
    ['a fractional amount', `${hex}:[1200.5,80000]`, /input amount 0 must be a non-negative integer/],
    ['a string amount', `${hex}:["120000",80000]`, /input amount 0/],
    ['an impossible amount', `${hex}:[2100000000000001,80000]`, /exceeds 21 million BCH/],
  ];

  it.each(malformed)(
    'rejects %s (INVALID_PENDING_TX, no key quoted)',
    async (_, serializedTransaction, expected) => {
      const message = await rejection(bch.signTransaction(requestOf(TWO_INPUTS, { serializedTransaction })));
      expect(message).toMatch(/^Invalid BCH pending transaction: /);
      expect(message).toMatch(expected);
    },
  );

  it('has the amounts the vectors claim', () => {
    expect(amounts).toEqual([120000, 80000]);
  });
});

describe('BCH Schnorr', () => {
  const key = privateKeyOf(ONE_INPUT.privateKeys[0]);
  const message = new Uint8Array(32).fill(7);

  it('is deterministic and verifies only for its own key and message', () => {
    const signature = bchSchnorrSign(message, key);
    expect(bchSchnorrSign(message, key)).toEqual(signature);
    const publicKey = Transaction.fromHex(ONE_INPUT.expectedTxData).ins[0].script.subarray(67);
    expect(bchSchnorrVerify(signature, message, publicKey)).toBe(true);
    expect(bchSchnorrVerify(signature, new Uint8Array(32).fill(8), publicKey)).toBe(false);
    const otherKey = Transaction.fromHex(TWO_INPUTS.expectedTxData).ins[0].script.subarray(67);
    expect(bchSchnorrVerify(signature, message, otherKey)).toBe(false);
    expect(bchSchnorrVerify(signature.subarray(0, 63), message, publicKey)).toBe(false);
    expect(bchSchnorrVerify(signature, message, new Uint8Array(33))).toBe(false);
  });
});
