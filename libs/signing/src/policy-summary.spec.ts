import { evaluatePolicy, InMemoryUsage, parsePolicy } from '@kms/policy';
import type { TransactionSummary } from '@kms/chains';
import { policySummary } from './policy-summary';

describe('policySummary', () => {
  const policy = parsePolicy(
    'rules:\n  - name: small-xrp\n    asset: XRP\n    maxAmount: "1000000"\n    action: allow\n',
  );
  const decide = (summary: TransactionSummary) =>
    evaluatePolicy(
      policy,
      { chain: 'XRP', wallet: 'w', summary: policySummary(summary) },
      new InMemoryUsage(),
    );
  const base = { chain: 'XRP', from: ['rA'], to: ['rB'] };

  it('gives the recipients and amounts of a decoded transaction', async () => {
    const summary: TransactionSummary = {
      ...base,
      kind: 'transfer',
      amounts: [{ asset: 'XRP', value: '10', decimals: 6 }],
    };
    expect(policySummary(summary)).toEqual({ to: ['rB'], amounts: [{ asset: 'XRP', value: '10' }] });
    expect((await decide(summary)).action).toBe('allow');
  });

  it('gives nothing for an unknown transaction, so amount limits fail closed instead of reading 0', async () => {
    const summary: TransactionSummary = {
      ...base,
      kind: 'unknown',
      method: 'OfferCreate',
      to: [],
      amounts: [],
    };
    expect(policySummary(summary)).toBeUndefined();
    expect((await decide(summary)).action).toBe('deny');
  });
});
