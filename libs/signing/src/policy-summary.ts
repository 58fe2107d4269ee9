import type { TransactionSummary } from '@kms/chains';
import type { PolicyInput } from '@kms/policy';

/**
 * The part of a chain's summary the policy reads: its recipients and amounts (base units). An
 * `unknown` summary (the chain could not decode what the payload does, e.g. an XRP OfferCreate) gives
 * none, so destination and amount conditions cannot hold and fail closed, instead of reading its empty
 * amounts as nothing moved.
 */
export function policySummary(summary: TransactionSummary | undefined): PolicyInput['summary'] {
  if (!summary || summary.kind === 'unknown') return undefined;
  return {
    to: summary.to,
    amounts: summary.amounts.map(({ asset, value }) => ({ asset, value })),
  };
}
