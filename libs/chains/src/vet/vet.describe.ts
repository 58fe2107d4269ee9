import type { DescribeRequest, TransactionSummary } from '../chain-signer.port';
import { describeCall } from '../evm/evm.describe';
import { amount } from '../transaction-summary';
import { VET_BASE_GAS_PRICE, VET_DEFAULTS } from './vet-network';
import { parseVetRequest } from './vet-transaction';

/** VET and VTHO both have 18 decimals. */
const DECIMALS = 18;

/**
 * What a VET pending transaction signs, from parseVetRequest (the parse signVetTransaction signs
 * from): its one clause read like an EVM call (VIP-180 tokens share the ERC-20 ABI): VET to `to`, a
 * token transfer, transferFrom or approve, or a contract call with its data. The fee, paid in VTHO,
 * is gas x base gas price x (1 + gasPriceCoef/255) when the gas is in the payload.
 */
export async function describeVetTransaction(request: DescribeRequest): Promise<TransactionSummary> {
  const { pending } = parseVetRequest(request);
  const summary = describeCall({
    chain: 'VET',
    nativeDecimals: DECIMALS,
    to: pending.to ?? undefined,
    value: pending.value,
    data: pending.data === '0x' ? undefined : pending.data,
    address: (hex40) => `0x${hex40}`,
  });
  if (pending.gas !== undefined) {
    const coef = BigInt(pending.gasPriceCoef ?? VET_DEFAULTS.gasPriceCoef);
    summary.fee = amount('VTHO', (pending.gas * VET_BASE_GAS_PRICE * (255n + coef)) / 255n, DECIMALS);
  }
  return summary;
}
