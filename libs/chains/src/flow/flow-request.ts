import type { DescribeRequest } from '../chain-signer.port';
import { type FlowPendingTx, parseFlowPendingTx } from './flow-pending-tx';
import {
  type FlowTemplateTransaction,
  isTatumFlowPending,
  parseTatumFlowPending,
} from './flow-tatum-pending';

/** A FLOW pending transaction in one of its two forms (see FlowSigner.signTransaction). */
export type FlowRequest =
  | { readonly form: 'tatum'; readonly template: FlowTemplateTransaction }
  | { readonly form: 'prepared'; readonly pending: FlowPendingTx };

/**
 * The one parse of a FLOW serializedTransaction, shared by signing and describing: Tatum's
 * `{type, body}` (built from templates for the request's network) or our prepared `{transaction,
 * signer}`. InvalidTransactionError, naming the field, otherwise.
 */
export function parseFlowRequest(request: DescribeRequest): FlowRequest {
  const json = parseJson(request.serializedTransaction);
  if (isTatumFlowPending(json)) {
    return { form: 'tatum', template: parseTatumFlowPending(json, request.testnet) };
  }
  return { form: 'prepared', pending: parseFlowPendingTx(json) };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
