import type { DescribeRequest, TransactionSummary } from '../chain-signer.port';
import { amount } from '../transaction-summary';
import { parseAlgoTransaction } from './algo-transaction';

/** microAlgos: 10^-6 ALGO. */
const ALGO_DECIMALS = 6;

/**
 * What an ALGO pending transaction signs, from parseAlgoTransaction (the algosdk Transaction that
 * signAlgoTransaction signs). `pay`: receiver and microAlgos; `axfer`: receiver and amount of the
 * asset (its id as the asset, its decimals on chain), an opt-in being a transfer of 0 to oneself; a
 * close-to address (the rest of the balance goes there) and a clawback sender are in the notes and
 * the close-to address among the recipients. `acfg` (asset create, change, destroy) is `unknown`. The
 * fee is the transaction's flat fee.
 */
export async function describeAlgoTransaction(request: DescribeRequest): Promise<TransactionSummary> {
  const tx = await parseAlgoTransaction(request.serializedTransaction, request.testnet);
  const summary: TransactionSummary = {
    chain: 'ALGO',
    kind: 'unknown',
    method: String(tx.type),
    from: [tx.sender.toString()],
    to: [],
    amounts: [],
    fee: amount('ALGO', tx.fee, ALGO_DECIMALS),
  };
  const notes: string[] = [];
  const closeTo = (address: { toString(): string } | undefined) => {
    if (address === undefined) return;
    summary.to.push(address.toString());
    notes.push('closes the account or holding: all the rest goes to the close-to address, amount unknown');
  };
  if (tx.payment) {
    summary.kind = 'transfer';
    summary.to.push(tx.payment.receiver.toString());
    summary.amounts.push(amount('ALGO', tx.payment.amount, ALGO_DECIMALS));
    closeTo(tx.payment.closeRemainderTo);
  } else if (tx.assetTransfer) {
    const transfer = tx.assetTransfer;
    summary.kind = 'token-transfer';
    summary.contract = transfer.assetIndex.toString();
    summary.to.push(transfer.receiver.toString());
    summary.amounts.push(amount(transfer.assetIndex.toString(), transfer.amount));
    if (transfer.assetSender !== undefined) {
      summary.from = [transfer.assetSender.toString()];
      notes.push('a clawback: the asset leaves the revocation target, not the sender');
    }
    closeTo(transfer.closeRemainderTo);
    notes.push("the asset's decimals are on chain");
  } else {
    notes.push(`an ${String(tx.type)} transaction (asset configuration): nothing is transferred`);
  }
  if (notes.length > 0) summary.notes = notes;
  return summary;
}
