import { randomBytes } from 'node:crypto';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import type { DemoChain, DemoPending } from './demo-chain';

const bitcoinjs = () => import('bitcoinjs-lib');
const SIGHASH_ALL = 0x01;
const FINAL = 0xffffffff;

interface BitcoreOutput {
  satoshis: number;
  script: string;
}
interface BitcoreJson {
  inputs: Array<{ output: BitcoreOutput }>;
  outputs: BitcoreOutput[];
}

/**
 * BTC, as Tatum's SDK parks it: bitcore-lib's JSON of the unsigned transaction (previous outputs with
 * amount and script, outputs, `fee`, `changeIndex`, `hash` = its txid), the wallet in `hashes` and one
 * `{id, index}` per input in `signatures`. Variant v spends a P2WPKH output of address 2v and a legacy
 * P2PKH output of key 2v+1, pays a customer and sends the change to address 0. The check verifies
 * every input's signature (BIP143 for P2WPKH, legacy sighash for P2PKH) with bitcoinjs-lib's hashes
 * against the previous output's key hash, which is the wallet's key at the input's index.
 */
export const BTC_DEMO: DemoChain = {
  chain: 'BTC',

  async pending(wallet, variant): Promise<DemoPending> {
    const { Transaction, address } = await bitcoinjs();
    const [first, second] = [2 * variant, 2 * variant + 1];
    const keyHash = async (index: number) => address.fromBech32(await wallet.address(index)).data;
    const p2wpkh = (hash: Uint8Array) => `0014${hex(hash)}`;
    const p2pkh = (hash: Uint8Array) => `76a914${hex(hash)}88ac`;
    const change = p2wpkh(await keyHash(0));
    const inputs = [
      { satoshis: 120_000, script: p2wpkh(await keyHash(first)) },
      { satoshis: 80_000, script: p2pkh(await keyHash(second)) },
    ].map((output) => ({
      prevTxId: randomBytes(32).toString('hex'),
      outputIndex: 1,
      sequenceNumber: FINAL,
      script: '',
      scriptString: '',
      output,
    }));
    const outputs = [
      { satoshis: 150_000, script: p2wpkh(randomBytes(20)) },
      { satoshis: 49_000, script: change },
    ];
    const unsigned = new Transaction();
    unsigned.version = 2;
    for (const input of inputs)
      unsigned.addInput(
        Buffer.from(input.prevTxId, 'hex').reverse(),
        input.outputIndex,
        input.sequenceNumber,
      );
    for (const output of outputs)
      unsigned.addOutput(Buffer.from(output.script, 'hex'), BigInt(output.satoshis));
    const json = {
      hash: unsigned.getId(),
      version: 2,
      inputs,
      outputs,
      nLockTime: 0,
      changeScript: `OP_0 20 0x${change.slice(4)}`,
      changeIndex: 1,
      fee: 1000,
    };
    return {
      label: '2 inputs (P2WPKH, P2PKH), payment + change',
      item: {
        chain: 'BTC',
        serializedTransaction: JSON.stringify(json),
        hashes: [wallet.signatureId],
        signatures: [first, second].map((index) => ({ id: wallet.signatureId, index })),
      },
    };
  },

  async txId(txData) {
    return (await bitcoinjs()).Transaction.fromHex(txData).getId();
  },

  async verify({ signed, item, wallet }) {
    const { Transaction, address, crypto, script } = await bitcoinjs();
    const tx = Transaction.fromHex(signed);
    const pending = JSON.parse(String(item.serializedTransaction)) as BitcoreJson;
    const indexes = (item.signatures as Array<{ index: number }>).map((ref) => ref.index);
    if (tx.ins.length !== pending.inputs.length) return fail('it has another number of inputs');
    const outputs = tx.outs.map((out) => ({ satoshis: Number(out.value), script: hex(out.script) }));
    if (JSON.stringify(outputs) !== JSON.stringify(pending.outputs))
      return fail('its outputs are not the pending ones');
    for (const [i, input] of tx.ins.entries()) {
      const previous = pending.inputs[i].output;
      const witness = previous.script.startsWith('0014');
      const [signature, publicKey] = witness
        ? input.witness
        : (script.decompile(input.script) as Uint8Array[]);
      if (!(signature instanceof Uint8Array) || !(publicKey instanceof Uint8Array))
        return fail(`input ${i} carries no signature and key`);
      const keyHash = hex(crypto.hash160(publicKey));
      if (!previous.script.includes(keyHash))
        return fail(`input ${i} is signed by a key that does not own it`);
      const walletHash = hex(address.fromBech32(await wallet.address(indexes[i])).data);
      if (keyHash !== walletHash) return fail(`input ${i}'s key is not the wallet's key ${indexes[i]}`);
      if (signature.at(-1) !== SIGHASH_ALL) return fail(`input ${i} is not signed SIGHASH_ALL`);
      const scriptCode = Buffer.from(`76a914${keyHash}88ac`, 'hex');
      const sighash = witness
        ? tx.hashForWitnessV0(i, scriptCode, BigInt(previous.satoshis), SIGHASH_ALL)
        : tx.hashForSignature(i, scriptCode, SIGHASH_ALL);
      const valid = secp256k1.verify(signature.subarray(0, -1), sighash, publicKey, {
        prehash: false,
        format: 'der',
      });
      if (!valid) return fail(`input ${i}'s signature does not verify`);
    }
    return {
      verified: true,
      detail: `${tx.ins.length} inputs verify, keys ${indexes.join(', ')} of the wallet`,
    };
  },
};

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const fail = (detail: string) => ({ verified: false, detail });
