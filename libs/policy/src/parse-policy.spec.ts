import { parsePolicy } from './parse-policy';

describe('parsePolicy', () => {
  it('reads YAML with labels, windows and hours', () => {
    const policy = parsePolicy(`
labels:
  hot: [wallet-a, wallet-b]
rules:
  - name: allow-list
    chains: [eth]
    wallets: [hot, wallet-c]
    to: ["0xabc"]
    asset: ETH
    maxAmount: "1000"
    window: { period: 24h, per: wallet, maxAmount: "5000", maxCount: 3 }
    hoursUtc: "22:00-06:00"
    action: allow
`);
    expect(policy.rules).toEqual([
      {
        name: 'allow-list',
        action: 'allow',
        line: 5,
        chains: ['ETH'],
        wallets: ['wallet-a', 'wallet-b', 'wallet-c'],
        toAllIn: ['0xabc'],
        toAnyIn: undefined,
        asset: 'ETH',
        minAmount: undefined,
        maxAmount: 1000n,
        window: { periodMs: 86_400_000, per: 'wallet', maxAmount: 5000n, maxCount: 3 },
        hoursUtc: { from: 1320, to: 360 },
      },
    ]);
  });

  it('reads JSON too', () => {
    expect(parsePolicy('{"rules": [{"name": "all", "action": "require-approval"}]}').rules[0]).toMatchObject({
      name: 'all',
      action: 'require-approval',
    });
  });

  it('names every problem with its line and refuses the whole policy', () => {
    const text = `rules:
  - name: one
    action: permit
  - name: two
    action: allow
    maxAmount: 1.5
    window: { period: 1y, per: account }
    colour: blue
`;
    expect(() => parsePolicy(text)).toThrow(
      expect.objectContaining({
        code: 'INVALID_POLICY',
        problems: [
          'line 3: rules[0].action must be one of allow, deny, require-approval',
          'line 8: rules[1]: unknown key "colour"',
          'line 6: rules[1].maxAmount must be an integer in base units, e.g. "1000"',
          'line 7: rules[1].window.period must be like 30m, 24h or 7d',
          'line 7: rules[1].window.per must be wallet or chain',
          'line 7: rules[1].window needs maxAmount or maxCount',
        ],
      }),
    );
  });

  it('refuses YAML syntax errors and a policy without rules, with the line', () => {
    expect(() => parsePolicy('rules: [\n  {name: a, action: allow\n')).toThrow(/Invalid policy: line \d+: /);
    expect(() => parsePolicy('rules:\n  - {name: a, maxAmount: "5", action: allow}\n')).toThrow(
      'Invalid policy: line 2: rules[0]: amount conditions need `asset` (what they count)',
    );
    expect(() => parsePolicy('labels: {}\n')).toThrow(
      'Invalid policy: line 1: `rules` must be a non-empty list',
    );
    expect(() => parsePolicy('rules:\n  - {name: a, action: allow}\n  - {name: a, action: deny}\n')).toThrow(
      /line 3: rules\[1\]: the name "a" is used twice/,
    );
  });
});
