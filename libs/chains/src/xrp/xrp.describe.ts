import type { DescribeRequest, SummaryAmount, TransactionSummary } from '../chain-signer.port';
import { amount, decimalToBaseUnits } from '../transaction-summary';
import { parseXrpTransaction, type XrpTransactionJson } from './xrp-transaction';

/** XRP amounts in drops: 10^-6 XRP. */
const XRP_DECIMALS = 6;

/**
 * What an XRP pending transaction signs, from parseXrpTransaction (the parse signXrpTransaction signs
 * from). A Payment: `Destination` and `Amount` (drops of XRP, or an issued currency as
 * `CURRENCY.ISSUER` with its decimal value as an integer and its decimals); with `SendMax` (a
 * cross-currency payment) the amount is SendMax, the most that leaves the account. The destination
 * tag, when set, is in the notes. Other transaction types are `unknown`, named in `method`. The fee is
 * `Fee`.
 */
export async function describeXrpTransaction(request: DescribeRequest): Promise<TransactionSummary> {
  const tx = parseXrpTransaction(request.serializedTransaction);
  const summary: TransactionSummary = {
    chain: 'XRP',
    kind: 'unknown',
    method: String(tx.TransactionType),
    from: [String(tx.Account)],
    to: [],
    amounts: [],
    fee: amount('XRP', BigInt(tx.Fee as string), XRP_DECIMALS),
  };
  if (tx.TransactionType !== 'Payment') {
    summary.notes = [`a ${String(tx.TransactionType)} transaction: what it does is not decoded`];
    return summary;
  }
  const notes: string[] = [];
  const sent = xrpAmount(tx.SendMax ?? tx.Amount);
  if (typeof tx.Destination === 'string') summary.to.push(tx.Destination);
  if (sent !== undefined) summary.amounts.push(sent);
  else notes.push('the amount is not one XRP knows: not decoded');
  summary.kind = sent === undefined ? 'unknown' : sent.asset === 'XRP' ? 'transfer' : 'token-transfer';
  if (tx.SendMax !== undefined)
    notes.push('a cross-currency payment: the amount is SendMax, the most it spends');
  if (tx.DestinationTag !== undefined) notes.push(`destination tag ${String(tx.DestinationTag)}`);
  if (notes.length > 0) summary.notes = notes;
  return summary;
}

/** Drops (`"1234567"`), or an issued currency `{currency, issuer, value}`; undefined otherwise. */
function xrpAmount(value: XrpTransactionJson[string] | undefined): SummaryAmount | undefined {
  if (typeof value === 'string' && /^\d{1,19}$/.test(value))
    return amount('XRP', BigInt(value), XRP_DECIMALS);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const { currency, issuer, value: text } = value;
  if (typeof currency !== 'string' || typeof issuer !== 'string' || typeof text !== 'string')
    return undefined;
  const units = decimalToBaseUnits(text);
  return units && amount(`${currency}.${issuer}`, units.value, units.decimals);
}
