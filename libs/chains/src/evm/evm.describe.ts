import type { DescribeRequest, SummaryAmount, TransactionSummary } from '../chain-signer.port';
import { amount } from '../transaction-summary';
import type { EvmChain } from './evm-chains';
import { decodeErc20Call } from './evm-calldata';
import { parseEvmRequest } from './evm-transaction';

/** Every EVM chain's native coin has 18 decimals (wei). */
const NATIVE_DECIMALS = 18;

/**
 * What an EVM pending transaction signs, from parseEvmRequest (the parse signEvmTransaction signs
 * from): a native transfer when data is empty; an ERC-20 `transfer`, `transferFrom` or
 * `approve` decoded from calldata; any other calldata a contract call, with its data, undecoded. The
 * sender is the signing key's account, which the payload does not name (`from` is empty); the fee is
 * gas price (or maxFeePerGas) x gas limit when both are in the payload.
 */
export async function describeEvmTransaction(
  row: EvmChain,
  request: DescribeRequest,
): Promise<TransactionSummary> {
  const { pending } = parseEvmRequest(row, request);
  const format = (hex40: string) => `${row.addressPrefix}${hex40}`;
  const summary = describeCall({
    chain: row.chain,
    nativeDecimals: NATIVE_DECIMALS,
    to: pending.to === undefined ? undefined : format(pending.to.slice(2)),
    value: pending.value,
    data: pending.data === '0x' ? undefined : pending.data,
    address: format,
  });
  const price = pending.maxFeePerGas ?? pending.gasPrice;
  if (price !== undefined && pending.gasLimit !== undefined) {
    summary.fee = amount(row.chain, price * pending.gasLimit, NATIVE_DECIMALS);
  }
  return summary;
}

/** An account-model call whose data follows the Solidity ABI (EVM chains, VET clauses, TRON). */
export interface AbiCall {
  /** The chain's symbol: the native coin's asset name. */
  chain: string;
  nativeDecimals: number;
  /** The called account; undefined deploys a contract. */
  to?: string;
  /** Native coin sent with the call, in base units. */
  value: bigint;
  /** The calldata as hex (as the payload carries it); undefined when empty. */
  data?: string;
  /** Formats 40 hex digits of an ABI address the chain's way. */
  address(hex40: string): string;
}

/**
 * The summary of one ABI call: a native transfer without data; an ERC-20 transfer, transferFrom or
 * approve when the calldata is exactly one of them (kind token-transfer or approve, the token's
 * decimals unknown); otherwise a contract call (or a deployment) with its data. Native value sent
 * along is always among the amounts.
 */
export function describeCall(call: AbiCall): TransactionSummary {
  const native: SummaryAmount[] =
    call.value > 0n || call.data === undefined ? [amount(call.chain, call.value, call.nativeDecimals)] : [];
  const base = { chain: call.chain, from: [] as string[] };
  if (call.to === undefined) {
    return {
      ...base,
      kind: 'contract-call',
      method: 'deploy',
      to: [],
      amounts: native,
      data: call.data,
      notes: ['a contract deployment: what its code does is not decoded'],
    };
  }
  if (call.data === undefined) return { ...base, kind: 'transfer', to: [call.to], amounts: native };
  const decoded = decodeErc20Call(call.data);
  const token = { contract: call.to, data: call.data };
  const tokenNote = 'the token amount is in its base units: the token decimals are in its contract';
  switch (decoded?.method) {
    case 'transfer':
    case 'transferFrom':
      return {
        ...base,
        ...token,
        kind: 'token-transfer',
        method: decoded.method,
        from: decoded.method === 'transferFrom' ? [call.address(decoded.from)] : [],
        to: [call.address(decoded.to)],
        amounts: [amount(call.to, decoded.amount), ...native],
        notes: [tokenNote],
      };
    case 'approve':
      return {
        ...base,
        ...token,
        kind: 'approve',
        method: 'approve',
        to: [call.address(decoded.spender)],
        amounts: [amount(call.to, decoded.amount), ...native],
        notes: ['an allowance: the spender may later move up to this amount', tokenNote],
      };
    default:
      return {
        ...base,
        ...token,
        kind: 'contract-call',
        to: [call.to],
        amounts: native,
        notes: ['a contract call: its data is not decoded, what it moves is not known'],
      };
  }
}
