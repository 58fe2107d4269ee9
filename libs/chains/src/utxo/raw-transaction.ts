import type { Transaction } from 'bitcoinjs-lib';
import { loadBitcoinjs } from './bitcoinjs';
import type { PendingTxFields } from './pending-tx-fields';

/** Far above any standard transaction (100 kB); bounds the work spent on a hostile payload. */
const MAX_TRANSACTION_BYTES = 1_000_000;

/**
 * Parses the hex of an unsigned transaction (no witness data, every scriptSig empty, at least one
 * input and one output). Throws InvalidTransactionError through `fields`; loads bitcoinjs-lib.
 */
export async function parseUnsignedRawTransaction(
  fields: PendingTxFields,
  value: unknown,
  path: string,
): Promise<Transaction> {
  const bytes = fields.hex(value, path, MAX_TRANSACTION_BYTES);
  const { Transaction } = await loadBitcoinjs();
  let tx: Transaction;
  try {
    tx = Transaction.fromBuffer(Buffer.from(bytes));
  } catch {
    return fields.fail(`${path} is not a valid raw transaction`);
  }
  if (tx.ins.length === 0 || tx.outs.length === 0) fields.fail(`${path} must have inputs and outputs`);
  if (tx.hasWitnesses()) fields.fail(`${path} must be unsigned, but carries witness data`);
  tx.ins.forEach((input, i) => {
    if (input.script.length > 0)
      fields.fail(`input ${i} of ${path} already has a scriptSig: it must be unsigned`);
  });
  return tx;
}

/**
 * Positional keys (key i signs input i): every input needs a key, and no key may point past the
 * last input. `source` names where the keys come from, for the message.
 */
export function assertPositionalKeys(
  fields: PendingTxFields,
  keys: ReadonlyArray<string | undefined>,
  inputCount: number,
  source: string,
): void {
  for (let i = 0; i < inputCount; i++) {
    if (keys[i] === undefined) {
      fields.fail(`input ${i} cannot be signed by the wallet's keys: ${source} has no key for it`);
    }
  }
  const extra = keys.findIndex((key, i) => i >= inputCount && key !== undefined);
  if (extra >= 0)
    fields.fail(`${source} has a key for input ${extra}, but the transaction has ${inputCount} inputs`);
}
