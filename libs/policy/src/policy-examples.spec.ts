import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { evaluatePolicy } from './evaluate-policy';
import { parsePolicy } from './parse-policy';
import { InMemoryUsage } from './usage.port';

/** The examples docs/policy.md links to stay valid and mean what the docs say. */
const EXAMPLES = join(__dirname, '..', '..', '..', 'docs', 'policy-examples');
const read = (name: string) => parsePolicy(readFileSync(join(EXAMPLES, name), 'utf8'));
const ETH = (value: string, to = '0x8ba1f109551bD432803012645Ac136ddd64DBA72') => ({
  to: [to],
  amounts: [{ asset: 'ETH', value }],
});

describe('docs/policy-examples', () => {
  it('every example parses', () => {
    const files = readdirSync(EXAMPLES).filter((file) => file.endsWith('.yaml'));
    expect(files.length).toBeGreaterThanOrEqual(3);
    for (const file of files) expect(() => read(file)).not.toThrow();
  });

  it('allow-list: known destinations sign, others are denied by default', async () => {
    const policy = read('allow-list.yaml');
    const usage = new InMemoryUsage();
    const known = await evaluatePolicy(policy, { chain: 'ETH', wallet: 'w', summary: ETH('1') }, usage);
    const other = await evaluatePolicy(
      policy,
      { chain: 'ETH', wallet: 'w', summary: ETH('1', '0x1111111111111111111111111111111111111111') },
      usage,
    );
    expect(known).toMatchObject({ action: 'allow', rule: 'known-destinations' });
    expect(other).toMatchObject({ action: 'deny', rule: 'default' });
  });

  it('large amounts need approval; a blocked destination is denied first', async () => {
    const policy = read('large-needs-approval.yaml');
    const usage = new InMemoryUsage();
    const noon = Date.UTC(2026, 11, 5, 12);
    const decide = (value: string, to?: string) =>
      evaluatePolicy(policy, { chain: 'ETH', wallet: 'w', summary: ETH(value, to) }, usage, noon);
    expect(await decide('1000')).toMatchObject({ action: 'allow' });
    expect(await decide('5000000000000000000')).toMatchObject({ action: 'require-approval' });
    expect(await decide('1', '0x000000000000000000000000000000000000dEaD')).toMatchObject({
      action: 'deny',
      rule: 'blocked-destinations',
    });
  });
});
