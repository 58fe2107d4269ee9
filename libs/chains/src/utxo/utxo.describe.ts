import { bytesToHex } from '@noble/hashes/utils.js';
import type { DescribeRequest, TransactionSummary } from '../chain-signer.port';
import { lazy } from '../lazy';
import { amount } from '../transaction-summary';
import { parseBchPending } from './bch-transaction';
import { loadBitcoinjs } from './bitcoinjs';
import { type UtxoChain, type UtxoNetwork, utxoNetwork } from './utxo-chains';
import { parseUtxoPending } from './utxo-transaction.signer';

const cashaddr = lazy(() => import('cashaddrjs'));

/** Every UTXO chain counts in satoshis (10^-8 of the coin). */
const DECIMALS = 8;

interface Output {
  readonly script: Uint8Array;
  readonly value: bigint;
}

/**
 * What a UTXO pending transaction signs, from the parse its signer signs from (parseUtxoPending,
 * parseBchPending): every output with its address and amount. Where the format carries the spent
 * outputs (bitcore JSON: their scripts and amounts; BCH: the amounts only), `from` lists the spent
 * addresses and the fee is inputs - outputs; an output paying back to a spent address is `change`,
 * not a recipient. Raw withdrawal hex names neither: `from` is empty, every output is a recipient and
 * the fee is unknown. An output script that is no address (OP_RETURN, bare scripts) is listed as
 * `script:<hex>`.
 */
export async function describeUtxoTransaction(
  row: UtxoChain,
  request: DescribeRequest,
): Promise<TransactionSummary> {
  const network = utxoNetwork(row, request.testnet);
  const address = (script: Uint8Array) => addressOf(row, network, script);
  let inputs: Array<{ script?: Uint8Array; value?: bigint }>;
  let outputs: Output[];
  if (row.transactionFormat === 'bch') {
    const { tx, values } = await parseBchPending(row.chain, request.serializedTransaction);
    inputs = values.map((value) => ({ value: BigInt(value) }));
    outputs = tx.outs.map((out) => ({ script: out.script, value: BigInt(out.value) }));
  } else {
    const pending = await parseUtxoPending(row.chain, request);
    if (pending.form === 'bitcore') {
      inputs = pending.parsed.inputs.map((input) => ({
        script: input.script,
        value: BigInt(input.satoshis),
      }));
      outputs = pending.parsed.outputs.map((out) => ({ script: out.script, value: BigInt(out.satoshis) }));
    } else {
      inputs = pending.tx.ins.map(() => ({}));
      outputs = pending.tx.outs.map((out) => ({ script: out.script, value: BigInt(out.value) }));
    }
  }

  const from: string[] = [];
  for (const input of inputs) {
    if (input.script === undefined) continue;
    const spent = await address(input.script);
    if (!from.includes(spent)) from.push(spent);
  }
  const summary: TransactionSummary = { chain: row.chain, kind: 'transfer', from, to: [], amounts: [] };
  const change: Array<{ address: string; value: string }> = [];
  for (const output of outputs) {
    const to = await address(output.script);
    if (from.includes(to)) change.push({ address: to, value: output.value.toString() });
    else {
      summary.to.push(to);
      summary.amounts.push(amount(row.chain, output.value, DECIMALS));
    }
  }
  if (change.length > 0) summary.change = change;
  const notes: string[] = [];
  if (inputs.every((input) => input.value !== undefined)) {
    const fee =
      inputs.reduce((sum, input) => sum + input.value!, 0n) -
      outputs.reduce((sum, out) => sum + out.value, 0n);
    summary.fee = amount(row.chain, fee, DECIMALS);
  } else {
    notes.push('raw transaction hex names neither the spent outputs nor their amounts: no sender, no fee');
  }
  if (row.transactionFormat === 'bch') {
    notes.push('the spent outputs are not in the payload: no sender, so no output is known as change');
  }
  if (notes.length > 0) summary.notes = notes;
  return summary;
}

/** The address an output script pays, in the chain's form; `script:<hex>` when it is no address. */
async function addressOf(row: UtxoChain, network: UtxoNetwork, script: Uint8Array): Promise<string> {
  const { address, payments } = await loadBitcoinjs();
  if (row.addressType === 'cashaddr') {
    const p2pkh = tryOr(() => payments.p2pkh({ output: Buffer.from(script) }).hash);
    const p2sh = p2pkh ? undefined : tryOr(() => payments.p2sh({ output: Buffer.from(script) }).hash);
    const hash = p2pkh ?? p2sh;
    if (hash !== undefined) {
      const { encode } = await cashaddr();
      return encode(network.cashAddrPrefix!, p2pkh ? 'P2PKH' : 'P2SH', hash);
    }
  } else {
    const decoded = tryOr(() => address.fromOutputScript(Buffer.from(script), network));
    if (decoded !== undefined) return decoded;
  }
  return `script:${bytesToHex(script)}`;
}

function tryOr<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}
