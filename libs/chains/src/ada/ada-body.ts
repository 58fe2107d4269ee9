import type * as Cardano from '@emurgo/cardano-serialization-lib-nodejs';
import { InvalidNetworkAnswerError } from '../chains.errors';
import { adaNetworkId, type CardanoLib } from './ada-keys';
import type { AdaTransfer } from './ada-operations';

/** Body fields a plain transfer never has (Rosetta sets only inputs, outputs, fee and ttl). */
const FOREIGN_FIELDS = [
  'certs',
  'withdrawals',
  'update',
  'auxiliary_data_hash',
  'validity_start_interval_bignum',
  'mint',
  'reference_inputs',
  'script_data_hash',
  'collateral',
  'required_signers',
  'collateral_return',
  'total_collateral',
  'voting_procedures',
  'voting_proposals',
  'donation',
  'current_treasury_value',
] as const satisfies ReadonlyArray<keyof Cardano.TransactionBody>;

/**
 * Checks that the transaction body a Rosetta node built is exactly the transfer of the pending
 * transaction, before anything is signed: the same UTXOs spent, the same outputs in the same order
 * (address bytes and lovelace, no tokens, datums or scripts), the fee the operations leave, a ttl,
 * and nothing else. Throws InvalidNetworkAnswerError otherwise.
 */
export function checkTransferBody(
  cardano: CardanoLib,
  bodyBytes: Uint8Array,
  transfer: AdaTransfer,
  testnet: boolean,
): void {
  let body: Cardano.TransactionBody;
  try {
    body = cardano.TransactionBody.from_bytes(bodyBytes);
  } catch {
    throw unusable('unsigned transaction (not a transaction body)');
  }
  try {
    const inputs = body.inputs();
    const spent = Array.from({ length: inputs.len() }, (_, i) => {
      const input = inputs.get(i);
      return `${input.transaction_id().to_hex()}:${input.index()}`;
    });
    const expected = new Set(transfer.inputs.map((input) => input.coin));
    if (spent.length !== expected.size || spent.some((coin) => !expected.delete(coin))) {
      throw unusable('unsigned transaction (its inputs are not those of the pending transaction)');
    }
    const outputs = body.outputs();
    if (outputs.len() !== transfer.outputs.length) {
      throw unusable('unsigned transaction (its outputs are not those of the pending transaction)');
    }
    transfer.outputs.forEach((want, i) => {
      const output = outputs.get(i);
      const multiasset = output.amount().multiasset();
      if (
        output.address().to_hex() !== want.addressBytes ||
        output.amount().coin().to_str() !== want.lovelace.toString() ||
        (multiasset !== undefined && multiasset.len() > 0) ||
        output.has_data_hash() ||
        output.has_plutus_data() ||
        output.has_script_ref()
      ) {
        throw unusable(`unsigned transaction (its output ${i} is not that of the pending transaction)`);
      }
    });
    if (body.fee().to_str() !== transfer.fee.toString()) {
      throw unusable('unsigned transaction (its fee is not what the inputs leave beyond the outputs)');
    }
    if (body.ttl_bignum() === undefined) throw unusable('unsigned transaction (it has no ttl)');
    const foreign = FOREIGN_FIELDS.filter((field) => body[field]() !== undefined);
    if (foreign.length > 0) throw unusable(`unsigned transaction (it has ${foreign.join(', ')})`);
    const networkId = body.network_id();
    if (networkId !== undefined && networkId.kind() !== adaNetworkId(testnet)) {
      throw unusable('unsigned transaction (network id)');
    }
  } finally {
    body.free();
  }
}

/**
 * Checks the transaction inside a Rosetta `signed_transaction`: its body is byte for byte the one
 * that was checked and signed (`bodyHash`, blake2b-256), it carries each of `expected` witnesses, and
 * every vkey witness it has verifies. Throws InvalidNetworkAnswerError otherwise.
 */
export function checkSignedTransaction(
  cardano: CardanoLib,
  transactionBytes: Uint8Array,
  bodyBytes: Uint8Array,
  bodyHash: Uint8Array,
  expected: ReadonlyArray<{ publicKey: string; signature: string }>,
): void {
  let transaction: Cardano.FixedTransaction;
  try {
    transaction = cardano.FixedTransaction.from_bytes(transactionBytes);
  } catch {
    throw unusable('signed transaction (not a transaction)');
  }
  try {
    if (!equalBytes(transaction.raw_body(), bodyBytes)) {
      throw unusable('signed transaction (its body is not the one that was signed)');
    }
    const vkeys = transaction.witness_set().vkeys();
    const witnesses = Array.from({ length: vkeys?.len() ?? 0 }, (_, i) => vkeys!.get(i));
    const found = new Set<string>();
    for (const witness of witnesses) {
      const publicKey = witness.vkey().public_key();
      const signature = witness.signature();
      if (!publicKey.verify(bodyHash, signature)) {
        throw unusable('signed transaction (a signature does not verify)');
      }
      found.add(`${publicKey.to_hex()}:${signature.to_hex()}`);
    }
    if (expected.some(({ publicKey, signature }) => !found.has(`${publicKey}:${signature}`))) {
      throw unusable('signed transaction (a signature of the wallet is missing)');
    }
  } finally {
    transaction.free();
  }
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

function unusable(what: string): InvalidNetworkAnswerError {
  return new InvalidNetworkAnswerError('ADA', what);
}
