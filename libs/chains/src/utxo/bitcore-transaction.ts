import { PendingTxFields } from './pending-tx-fields';

/** Sequence number bitcore gives an input that names none (final). */
const DEFAULT_SEQUENCE = 0xffffffff;

export interface BitcoreInput {
  /** Previous transaction id, display byte order (lower-case hex). */
  readonly prevTxId: string;
  readonly outputIndex: number;
  readonly sequenceNumber: number;
  /** The spent output: its amount and scriptPubKey. */
  readonly satoshis: number;
  readonly script: Uint8Array;
}

export interface BitcoreOutput {
  readonly satoshis: number;
  readonly script: Uint8Array;
}

/** A validated bitcore-lib `Transaction.toObject()` of an unsigned transaction (docs/tatum-protocol.md §5). */
export interface BitcoreTransaction {
  /** Claimed txid of the unsigned transaction; the signer checks it against what it builds. */
  readonly hash?: string;
  readonly version: number;
  readonly nLockTime: number;
  readonly inputs: readonly BitcoreInput[];
  readonly outputs: readonly BitcoreOutput[];
}

/**
 * Parses and validates the JSON of a bitcore-lib transaction, as Tatum hands out BTC, LTC and DOGE
 * pending transactions. Rejects (InvalidTransactionError) anything malformed or self-contradictory:
 * bad hex, amounts that are not non-negative safe integers, a spent outpoint listed twice, an input
 * that already carries a script, outputs worth more than the inputs, and a `fee`/`changeIndex` that
 * does not match the amounts. Unknown fields (`scriptString`, `changeScript`) are ignored.
 */
export function parseBitcoreTransaction(chain: string, serialized: unknown): BitcoreTransaction {
  const fields = new PendingTxFields(chain);
  const tx = fields.object(fields.json(serialized, 'serializedTransaction'), 'the transaction');
  const hash = tx.hash === undefined ? undefined : fields.txid(tx.hash, 'hash');
  const version = fields.uint32(tx.version, 'version');
  const nLockTime = fields.uint32(tx.nLockTime, 'nLockTime');
  const inputs = fields
    .nonEmptyArray(tx.inputs, 'inputs')
    .map((value, i) => parseInput(fields, value, `inputs[${i}]`));
  const outputs = fields.nonEmptyArray(tx.outputs, 'outputs').map((value, i) => {
    const output = fields.object(value, `outputs[${i}]`);
    return {
      satoshis: fields.satoshis(output.satoshis, `outputs[${i}].satoshis`),
      script: fields.script(output.script, `outputs[${i}].script`),
    };
  });

  const outpoints = new Set<string>();
  inputs.forEach((input, i) => {
    const outpoint = `${input.prevTxId}:${input.outputIndex}`;
    if (outpoints.has(outpoint)) fields.fail(`inputs[${i}] spends the same output as an earlier input`);
    outpoints.add(outpoint);
  });
  checkAmounts(fields, tx, inputs, outputs);
  return { hash, version, nLockTime, inputs, outputs };
}

function parseInput(fields: PendingTxFields, value: unknown, path: string): BitcoreInput {
  const input = fields.object(value, path);
  if (input.script !== undefined && input.script !== '') {
    fields.fail(`${path}.script must be empty: the transaction must be unsigned`);
  }
  const output = fields.object(input.output, `${path}.output`);
  return {
    prevTxId: fields.txid(input.prevTxId, `${path}.prevTxId`),
    outputIndex: fields.uint32(input.outputIndex, `${path}.outputIndex`),
    sequenceNumber:
      input.sequenceNumber === undefined
        ? DEFAULT_SEQUENCE
        : fields.uint32(input.sequenceNumber, `${path}.sequenceNumber`),
    satoshis: fields.satoshis(output.satoshis, `${path}.output.satoshis`),
    script: fields.script(output.script, `${path}.output.script`),
  };
}

/**
 * The implicit fee (inputs - outputs) must not be negative. With an explicit `fee`, bitcore made the
 * change output (`changeIndex`) absorb the rest, so the fee is exact; without a change output (change
 * below dust is dropped into the fee) it is at least `fee`.
 */
function checkAmounts(
  fields: PendingTxFields,
  tx: Record<string, unknown>,
  inputs: readonly BitcoreInput[],
  outputs: readonly BitcoreOutput[],
): void {
  const sum = (items: ReadonlyArray<{ satoshis: number }>) =>
    items.reduce((total, { satoshis }) => total + BigInt(satoshis), 0n);
  const implicitFee = sum(inputs) - sum(outputs);
  if (implicitFee < 0n) fields.fail('the outputs spend more than the inputs hold');

  const changeIndex = tx.changeIndex === undefined || tx.changeIndex === null ? undefined : tx.changeIndex;
  if (changeIndex !== undefined && fields.uint32(changeIndex, 'changeIndex') >= outputs.length) {
    fields.fail('changeIndex does not name an output');
  }
  if (tx.fee === undefined || tx.fee === null) return;
  const fee = BigInt(fields.satoshis(tx.fee, 'fee'));
  if (changeIndex !== undefined ? implicitFee !== fee : implicitFee < fee) {
    fields.fail(`fee ${fee} does not match the inputs minus the outputs (${implicitFee})`);
  }
}
