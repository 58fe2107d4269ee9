import { evaluatePolicy } from './evaluate-policy';
import { parsePolicy } from './parse-policy';
import { InMemoryUsage } from './usage.port';

const ETH = 10n ** 18n;
const NOON = Date.parse('2026-12-04T12:00:00Z');
const input = (to: string[], wei: bigint, wallet = 'hot-1') => ({
  chain: 'ETH',
  wallet,
  summary: { to, amounts: [{ asset: 'ETH', value: String(wei) }] },
});

describe('evaluatePolicy', () => {
  const policy = parsePolicy(`
labels: { hot: [hot-1, hot-2] }
rules:
  - name: never-to-mixer
    toAnyOf: ["0xBAD0000000000000000000000000000000000000"]
    action: deny
  - name: large-needs-approval
    asset: ETH
    minAmount: "${10n * ETH}"
    action: require-approval
  - name: hot-daily
    wallets: [hot]
    to: ["0x1111111111111111111111111111111111111111", "0x2222222222222222222222222222222222222222"]
    asset: ETH
    maxAmount: "${2n * ETH}"
    window: { period: 24h, per: wallet, maxAmount: "${3n * ETH}", maxCount: 5 }
    hoursUtc: "06:00-20:00"
    action: allow
`);
  const ALICE = '0x1111111111111111111111111111111111111111';

  it('first match wins; each decision names its rule', async () => {
    const usage = new InMemoryUsage();
    await expect(
      evaluatePolicy(policy, input(['0xbad0000000000000000000000000000000000000'], 1n), usage, NOON),
    ).resolves.toMatchObject({ action: 'deny', rule: 'never-to-mixer' });
    await expect(evaluatePolicy(policy, input([ALICE], 20n * ETH), usage, NOON)).resolves.toMatchObject({
      action: 'require-approval',
      rule: 'large-needs-approval',
    });
    await expect(evaluatePolicy(policy, input([ALICE], ETH), usage, NOON)).resolves.toMatchObject({
      action: 'allow',
      rule: 'hot-daily',
      reason: expect.stringContaining('line'),
    });
  });

  it.each([
    ['a destination outside the allow-list', input(['0x3333333333333333333333333333333333333333'], ETH)],
    ['an amount over the per-transaction cap', input([ALICE], 3n * ETH)],
    ['a wallet outside the label', input([ALICE], ETH, 'cold-1')],
  ])('denies by default %s', async (_case, pending) => {
    await expect(evaluatePolicy(policy, pending, new InMemoryUsage(), NOON)).resolves.toEqual({
      action: 'deny',
      rule: 'default',
      reason: 'no rule of the policy allows it (default deny)',
    });
  });

  it('a deny rule holds when what it checks cannot be told (fail closed)', async () => {
    await expect(
      evaluatePolicy(policy, { chain: 'ETH', wallet: 'hot-1' }, new InMemoryUsage(), NOON),
    ).resolves.toMatchObject({ rule: 'never-to-mixer' });
  });

  it('counts the rolling window per wallet: amount and count, this transaction included', async () => {
    const usage = new InMemoryUsage();
    const signed = (wallet: string, wei: bigint, at: number) =>
      usage.record({ chain: 'ETH', wallet, at, amounts: [{ asset: 'ETH', value: wei }] });
    signed('hot-1', 2n * ETH, NOON - 3_600_000);
    await expect(evaluatePolicy(policy, input([ALICE], ETH), usage, NOON)).resolves.toMatchObject({
      action: 'allow',
    });
    await expect(evaluatePolicy(policy, input([ALICE], ETH + 1n), usage, NOON)).resolves.toMatchObject({
      rule: 'default',
    });
    // another wallet has its own window; older than 24 h does not count
    await expect(
      evaluatePolicy(policy, input([ALICE], 2n * ETH, 'hot-2'), usage, NOON),
    ).resolves.toMatchObject({ action: 'allow' });
    signed('hot-2', 2n * ETH, NOON - 25 * 3_600_000);
    await expect(
      evaluatePolicy(policy, input([ALICE], 2n * ETH, 'hot-2'), usage, NOON),
    ).resolves.toMatchObject({ action: 'allow' });
    for (let i = 0; i < 5; i++) signed('hot-2', 1n, NOON - 1_000);
    await expect(evaluatePolicy(policy, input([ALICE], 1n, 'hot-2'), usage, NOON)).resolves.toMatchObject({
      rule: 'default',
    });
  });

  it('holds only within its hours (UTC)', async () => {
    const night = Date.parse('2026-12-04T21:30:00Z');
    await expect(
      evaluatePolicy(policy, input([ALICE], ETH), new InMemoryUsage(), night),
    ).resolves.toMatchObject({ rule: 'default' });
  });
});
