import type { DescribeRequest, SummaryAmount, TransactionSummary } from '../chain-signer.port';
import { amount } from '../transaction-summary';
import { parseEgldPendingTx } from './egld-pending-tx';

/** Atomic units: 10^-18 EGLD. */
const EGLD_DECIMALS = 18;
const EVEN_HEX = /^(?:[0-9a-f]{2})*$/i;
const TOKEN_ID = /^[A-Za-z0-9-]{3,40}$/;

/**
 * What an EGLD pending transaction signs, from parseEgldPendingTx (the parse signEgldTransaction
 * signs from): `value` EGLD to `to`; `ESDTTransfer@<token>@<amount>` data is a token transfer of
 * that ESDT to `to` (its identifier as the asset, decimals on chain), with more arguments (a function
 * to call) a contract call carrying the token; any other data is a contract call, its data text shown
 * as is. The sender is the signing key's account unless the payload names it; the fee is gas price x
 * gas limit when both are in the payload.
 */
export async function describeEgldTransaction(request: DescribeRequest): Promise<TransactionSummary> {
  const pending = parseEgldPendingTx(request.serializedTransaction);
  const value = BigInt(pending.value);
  const native: SummaryAmount[] =
    value > 0n || pending.data === undefined ? [amount('EGLD', value, EGLD_DECIMALS)] : [];
  const summary: TransactionSummary = {
    chain: 'EGLD',
    kind: 'transfer',
    from: pending.sender === undefined ? [] : [pending.sender],
    to: [pending.receiver],
    amounts: native,
  };
  if (pending.gasPrice !== undefined && pending.gasLimit !== undefined) {
    summary.fee = amount('EGLD', BigInt(pending.gasPrice) * BigInt(pending.gasLimit), EGLD_DECIMALS);
  }
  if (pending.data === undefined) return summary;
  summary.data = pending.data;
  const esdt = esdtTransfer(pending.data);
  if (esdt === undefined) {
    summary.kind = 'contract-call';
    summary.contract = pending.receiver;
    summary.method = pending.data.split('@')[0].slice(0, 64);
    summary.notes = ['data that is not a plain ESDTTransfer: a contract call (or a note), not decoded'];
    return summary;
  }
  summary.amounts = [amount(esdt.token, esdt.amount), ...native];
  summary.method = 'ESDTTransfer';
  summary.contract = esdt.token;
  summary.notes = ["the token's decimals are on chain"];
  if (esdt.call) {
    summary.kind = 'contract-call';
    summary.notes.push('the token is sent to a contract function, whose effects are not decoded');
  } else {
    summary.kind = 'token-transfer';
  }
  return summary;
}

/** `ESDTTransfer@<hex token id>@<hex amount>[@<function>@<args>...]`; undefined when not exactly that. */
function esdtTransfer(data: string): { token: string; amount: bigint; call: boolean } | undefined {
  const [name, tokenHex, amountHex, ...rest] = data.split('@');
  if (name !== 'ESDTTransfer' || tokenHex === undefined || amountHex === undefined) return undefined;
  if (!EVEN_HEX.test(tokenHex) || !EVEN_HEX.test(amountHex) || tokenHex === '') return undefined;
  const token = Buffer.from(tokenHex, 'hex').toString('latin1');
  if (!TOKEN_ID.test(token)) return undefined;
  return { token, amount: amountHex === '' ? 0n : BigInt(`0x${amountHex}`), call: rest.length > 0 };
}
