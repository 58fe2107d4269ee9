import { bytesToHex } from '@noble/hashes/utils.js';
import type { Transaction } from 'bitcoinjs-lib';
import type { DescribeRequest, SignRequest } from '../chain-signer.port';
import { type BitcoreTransaction, parseBitcoreTransaction } from './bitcore-transaction';
import { loadBitcoinjs } from './bitcoinjs';
import { PendingTxFields } from './pending-tx-fields';
import { assertPositionalKeys, parseUnsignedRawTransaction } from './raw-transaction';
import { type KeyDecoder, SIGHASH_ALL, ecdsaSignature, withSigningKeys } from './utxo-keys';
import { type KeyHashScript, keyHashScript, p2pkhScript, p2pkhScriptSig } from './utxo-script';

export interface UtxoSigningContext {
  readonly chain: string;
  /** The chain has segwit, so P2WPKH inputs may be spent (BTC, LTC; not DOGE). */
  readonly segwit: boolean;
  readonly decodeKey: KeyDecoder;
}

/**
 * Signs a BTC, LTC or DOGE pending transaction (docs/tatum-protocol.md §5) and returns the raw hex (segwit
 * serialization when any input is witness).
 *
 * - Regular: `serializedTransaction` is bitcore JSON; each key signs every input whose previous
 *   script is its P2PKH or P2WPKH (SIGHASH_ALL), key order does not matter, unrelated keys are
 *   ignored, and an input no key can sign rejects the whole transaction (a half-signed one is useless).
 * - Off-chain withdrawal: Tatum's SDK has known two forms, and both are accepted. Bitcore JSON (what
 *   SDK 1.37 prepares for BTC): signed as above with the withdrawal keys (`inputKeys`) plus `keys`.
 *   Raw unsigned hex (older SDKs, bitcoinjs TransactionBuilder): input i is signed with `inputKeys[i]`
 *   as P2PKH of that key, like the SDK's `builder.sign(i, key)`. Raw hex carries neither previous
 *   scripts nor amounts, so a witness input cannot be signed (nor even detected) in that form: such a
 *   transaction is signed as P2PKH and the network rejects it; Tatum's JSON form is needed for those.
 */
export async function signUtxoTransaction(
  context: UtxoSigningContext,
  request: SignRequest,
): Promise<string> {
  const pending = await parseUtxoPending(context.chain, request);
  if (pending.form === 'raw') return signRawP2pkhTransaction(context, pending.tx, request.inputKeys ?? []);
  const inputKeys = request.withdrawal ? (request.inputKeys ?? []) : [];
  const keys = [...request.keys, ...inputKeys.filter((key): key is string => key !== undefined)];
  return signBitcoreTransaction(context, pending.parsed, keys);
}

/** A BTC, LTC or DOGE pending transaction in one of its two forms (see signUtxoTransaction). */
export type UtxoPending =
  | { readonly form: 'bitcore'; readonly parsed: BitcoreTransaction }
  | { readonly form: 'raw'; readonly tx: Transaction };

/**
 * The one parse of a BTC, LTC or DOGE pending transaction, shared by signing and describing:
 * bitcore JSON, or (off-chain withdrawals only) raw unsigned hex. InvalidTransactionError otherwise.
 */
export async function parseUtxoPending(chain: string, request: DescribeRequest): Promise<UtxoPending> {
  const { serializedTransaction } = request;
  const json = typeof serializedTransaction === 'string' && serializedTransaction.trimStart().startsWith('{');
  if (!request.withdrawal || json) {
    return { form: 'bitcore', parsed: parseBitcoreTransaction(chain, serializedTransaction) };
  }
  const fields = new PendingTxFields(chain);
  return {
    form: 'raw',
    tx: await parseUnsignedRawTransaction(fields, serializedTransaction, 'serializedTransaction'),
  };
}

async function signBitcoreTransaction(
  { chain, segwit, decodeKey }: UtxoSigningContext,
  parsed: BitcoreTransaction,
  keyTexts: readonly string[],
): Promise<string> {
  const fields = new PendingTxFields(chain);
  const spent = parsed.inputs.map((input, i): KeyHashScript => {
    const script =
      keyHashScript(input.script) ??
      fields.fail(`inputs[${i}] spends a script that is neither P2PKH nor P2WPKH`);
    if (script.type === 'p2wpkh' && !segwit)
      fields.fail(`inputs[${i}] spends a P2WPKH output, but ${chain} has no segwit`);
    return script;
  });
  const tx = await buildUnsigned(parsed);
  if (parsed.hash !== undefined && tx.getId() !== parsed.hash) {
    fields.fail(`hash ${parsed.hash} is not the txid of the transaction it describes (${tx.getId()})`);
  }

  return withSigningKeys([...new Set(keyTexts)], decodeKey, async (keys) => {
    const byHash = new Map(keys.map((key) => [bytesToHex(key!.pubKeyHash), key!]));
    const signers = spent.map(
      (script, i) =>
        byHash.get(bytesToHex(script.pubKeyHash)) ??
        fields.fail(`input ${i} cannot be signed by the wallet's keys`),
    );
    spent.forEach((script, i) => {
      const key = signers[i];
      if (script.type === 'p2pkh') {
        const sighash = tx.hashForSignature(i, Buffer.from(parsed.inputs[i].script), SIGHASH_ALL);
        tx.setInputScript(i, p2pkhScriptSig(ecdsaSignature(key, sighash, SIGHASH_ALL), key.publicKey));
      } else {
        const scriptCode = p2pkhScript(script.pubKeyHash);
        const sighash = tx.hashForWitnessV0(i, scriptCode, BigInt(parsed.inputs[i].satoshis), SIGHASH_ALL);
        tx.setWitness(i, [ecdsaSignature(key, sighash, SIGHASH_ALL), Buffer.from(key.publicKey)]);
      }
    });
    return tx.toHex();
  });
}

/** The unsigned transaction the bitcore JSON describes; its txid is what bitcore calls `hash`. */
async function buildUnsigned(parsed: BitcoreTransaction): Promise<Transaction> {
  const { Transaction } = await loadBitcoinjs();
  const tx = new Transaction();
  tx.version = parsed.version;
  tx.locktime = parsed.nLockTime;
  for (const input of parsed.inputs) {
    tx.addInput(Buffer.from(input.prevTxId, 'hex').reverse(), input.outputIndex, input.sequenceNumber);
  }
  // Pushed directly: addOutput caps values at 21M BTC, while DOGE outputs may legitimately exceed it;
  // the serialization itself takes any 53-bit value.
  for (const output of parsed.outputs)
    tx.outs.push({ script: Buffer.from(output.script), value: BigInt(output.satoshis) });
  return tx;
}

async function signRawP2pkhTransaction(
  { chain, decodeKey }: UtxoSigningContext,
  tx: Transaction,
  inputKeys: ReadonlyArray<string | undefined>,
): Promise<string> {
  const fields = new PendingTxFields(chain);
  assertPositionalKeys(fields, inputKeys, tx.ins.length, 'the withdrawal');
  return withSigningKeys(inputKeys.slice(0, tx.ins.length), decodeKey, async (keys) => {
    keys.forEach((key, i) => {
      const sighash = tx.hashForSignature(i, p2pkhScript(key!.pubKeyHash), SIGHASH_ALL);
      tx.setInputScript(i, p2pkhScriptSig(ecdsaSignature(key!, sighash, SIGHASH_ALL), key!.publicKey));
    });
    return tx.toHex();
  });
}
