import type { DescribeRequest, TransactionSummary } from '../chain-signer.port';
import { amount, fixedToBaseUnits } from '../transaction-summary';
import { parseFlowRequest } from './flow-request';
import { FlowTxType } from './flow-tatum-pending';
import { type FlowToken, transferTemplate } from './flow-templates';

/** UFix64: 10^-8 units. */
const FLOW_DECIMALS = 8;
const TOKENS: readonly FlowToken[] = ['FLOW', 'FUSD'];

/**
 * What a FLOW pending transaction signs, from parseFlowRequest (the parse FlowSigner signs from). A
 * transfer is recognised by its Cadence being exactly the FLOW or FUSD transfer template of the
 * network (Tatum's TRANSFER, or our prepared format with that script): recipient and amount come
 * from its arguments. Every other transaction (account creation, adding a key, custom Cadence) is a
 * contract call: `data` is its Cadence, `method` Tatum's type name; its arguments are not decoded.
 * `from` is the authorizing account(s); the fee is paid by Tatum's payer or the prepared payer.
 */
export async function describeFlowTransaction(request: DescribeRequest): Promise<TransactionSummary> {
  const parsed = parseFlowRequest(request);
  let script: string;
  let args: unknown[];
  let from: string[];
  let method: string | undefined;
  if (parsed.form === 'tatum') {
    ({ script } = parsed.template);
    args = [...parsed.template.arguments];
    from = [`0x${parsed.template.account}`];
    method = FlowTxType[parsed.template.type];
  } else {
    const tx = parsed.pending.transaction;
    script = Buffer.from(tx.script).toString('utf8');
    args = tx.arguments.map((arg) => parseArgument(arg));
    from = tx.authorizers.map((account) => `0x${account}`);
  }
  const token = TOKENS.find((each) => transferTemplate(each, request.testnet) === script);
  const transfer = token === undefined ? undefined : transferArguments(args);
  if (token !== undefined && transfer !== undefined) {
    return {
      chain: 'FLOW',
      kind: token === 'FLOW' ? 'transfer' : 'token-transfer',
      method: method ?? 'TRANSFER',
      from,
      to: [transfer.to],
      amounts: [amount(token, transfer.value, FLOW_DECIMALS)],
    };
  }
  const notes = ['Cadence code: what it does is not decoded'];
  if (method === 'ADD_PK_TO_ACCOUNT')
    notes.unshift('adds a public key to the account: its holder can sign for it');
  return {
    chain: 'FLOW',
    kind: 'contract-call',
    ...(method === undefined ? {} : { method }),
    from,
    to: [],
    amounts: [],
    data: script,
    notes,
  };
}

/** An argument of the prepared format: the UTF-8 JSON-Cadence it carries; undefined when it is not one. */
function parseArgument(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    return undefined;
  }
}

/** The transfer templates take (amount: UFix64, recipient: Address). */
function transferArguments(args: unknown[]): { to: string; value: bigint } | undefined {
  if (args.length !== 2) return undefined;
  const [amountArg, toArg] = args as Array<{ type?: unknown; value?: unknown } | undefined>;
  if (amountArg?.type !== 'UFix64' || typeof amountArg.value !== 'string') return undefined;
  if (toArg?.type !== 'Address' || typeof toArg.value !== 'string') return undefined;
  const value = fixedToBaseUnits(amountArg.value, FLOW_DECIMALS);
  return value === undefined ? undefined : { to: toArg.value, value };
}
