import type * as StellarBase from '@stellar/stellar-base';
import type { DescribeRequest, SummaryAmount, TransactionSummary } from '../chain-signer.port';
import { amount, fixedToBaseUnits } from '../transaction-summary';
import { loadStellarBase } from './xlm-keys';
import { parseXlmTransaction } from './xlm-transaction';

/** Every Stellar amount, XLM or issued asset, has 7 decimals (stroops for XLM). */
const XLM_DECIMALS = 7;

/**
 * What an XLM pending transaction signs, from parseXlmTransaction (the Transaction
 * signXlmTransaction signs). Per operation: `payment` and `createAccount` (destination, amount),
 * path payments (destination, and what leaves: sendMax or sendAmount of the send asset),
 * `accountMerge` (destination; the whole balance, amount unknown). Any other operation makes the
 * transaction `unknown`; `method` lists the operation types. Assets: `XLM`, else `CODE:ISSUER`. `from`
 * is the source account and any operation source; the fee is the transaction's fee (all operations).
 */
export async function describeXlmTransaction(request: DescribeRequest): Promise<TransactionSummary> {
  const stellar = await loadStellarBase();
  const tx = await parseXlmTransaction(request.serializedTransaction, request.testnet);
  const from = [stellar.extractBaseAddress(tx.source)];
  const summary: TransactionSummary = {
    chain: 'XLM',
    kind: 'transfer',
    method: tx.operations.map((op) => op.type).join(','),
    from,
    to: [],
    amounts: [],
    fee: amount('XLM', BigInt(tx.fee), XLM_DECIMALS),
  };
  const notes: string[] = [];
  const base = (account: string) => stellar.extractBaseAddress(account);
  const pay = (destination: string, asset: StellarBase.Asset, value: string) => {
    summary.to.push(base(destination));
    const units = fixedToBaseUnits(value, XLM_DECIMALS);
    if (units === undefined) notes.push('an amount is not a Stellar amount: not decoded');
    else summary.amounts.push(xlmAmount(asset, units));
    if (!asset.isNative()) summary.kind = summary.kind === 'unknown' ? 'unknown' : 'token-transfer';
  };
  for (const op of tx.operations) {
    if (op.source !== undefined && !from.includes(base(op.source))) from.push(base(op.source));
    switch (op.type) {
      case 'payment':
        pay(op.destination, op.asset, op.amount);
        break;
      case 'createAccount':
        pay(op.destination, stellar.Asset.native(), op.startingBalance);
        break;
      case 'pathPaymentStrictReceive':
        pay(op.destination, op.sendAsset, op.sendMax);
        notes.push(`a path payment: the destination receives ${op.destAmount} of ${assetName(op.destAsset)}`);
        break;
      case 'pathPaymentStrictSend':
        pay(op.destination, op.sendAsset, op.sendAmount);
        notes.push(
          `a path payment: the destination receives at least ${op.destMin} of ${assetName(op.destAsset)}`,
        );
        break;
      case 'accountMerge':
        summary.to.push(base(op.destination));
        notes.push('an account merge: the whole XLM balance goes to the destination, amount unknown');
        break;
      default:
        summary.kind = 'unknown';
        notes.push(`a ${op.type} operation: not decoded`);
    }
  }
  if (tx.memo.type !== 'none') notes.push(`memo (${tx.memo.type}) ${memoText(tx.memo)}`);
  if (notes.length > 0) summary.notes = notes;
  return summary;
}

function xlmAmount(asset: StellarBase.Asset, units: bigint): SummaryAmount {
  return amount(assetName(asset), units, XLM_DECIMALS);
}

function assetName(asset: StellarBase.Asset): string {
  return asset.isNative() ? 'XLM' : `${asset.getCode()}:${asset.getIssuer()}`;
}

/** A text memo as text, an id as digits, a hash or return hash as hex. */
function memoText(memo: StellarBase.Memo): string {
  const value = memo.value;
  if (value === null || value === undefined) return '';
  if (Buffer.isBuffer(value)) return memo.type === 'text' ? value.toString('utf8') : value.toString('hex');
  return String(value);
}
