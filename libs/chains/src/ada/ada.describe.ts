import type { DescribeRequest, TransactionSummary } from '../chain-signer.port';
import { amount } from '../transaction-summary';
import { cardanoLib } from './ada-keys';
import { parseAdaTransfer } from './ada-operations';

/** lovelace: 10^-6 ADA. */
const ADA_DECIMALS = 6;

/**
 * What an ADA pending transaction signs, from parseAdaTransfer (the operations signAdaTransaction
 * checks the node's body against before signing): `from` the input addresses, each output a
 * recipient with its lovelace, except outputs paying back to an input address (`change`); the fee is
 * what the inputs hold beyond the outputs. Only plain ADA transfers are signed, so nothing else is
 * described.
 */
export async function describeAdaTransaction(request: DescribeRequest): Promise<TransactionSummary> {
  const transfer = parseAdaTransfer(await cardanoLib(), request.serializedTransaction, request.testnet);
  const from = [...new Set(transfer.inputs.map((input) => input.address))];
  const summary: TransactionSummary = {
    chain: 'ADA',
    kind: 'transfer',
    from,
    to: [],
    amounts: [],
    fee: amount('ADA', transfer.fee, ADA_DECIMALS),
  };
  const change: Array<{ address: string; value: string }> = [];
  for (const output of transfer.outputs) {
    if (from.includes(output.address))
      change.push({ address: output.address, value: output.lovelace.toString() });
    else {
      summary.to.push(output.address);
      summary.amounts.push(amount('ADA', output.lovelace, ADA_DECIMALS));
    }
  }
  if (change.length > 0) summary.change = change;
  return summary;
}
