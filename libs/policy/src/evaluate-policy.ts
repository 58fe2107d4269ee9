import type { Policy, PolicyDecision, PolicyInput, PolicyRule } from './policy';
import type { UsageSource } from './usage.port';

/** A condition's verdict; `unknown` when the summary lacks what it needs. */
type Verdict = boolean | 'unknown';

/**
 * Evaluates the rules in order; the first that matches decides. No match denies (`default`).
 * A condition that cannot be evaluated (no summary, no amount of the asset) fails closed: it does
 * not hold for an allow or require-approval rule, and holds for a deny rule.
 */
export async function evaluatePolicy(
  policy: Policy,
  input: PolicyInput,
  usage: UsageSource,
  now: number = Date.now(),
): Promise<PolicyDecision> {
  for (const rule of policy.rules) {
    const problem = await firstUnmet(rule, input, usage, now);
    if (problem === undefined) {
      return {
        action: rule.action,
        rule: rule.name,
        reason: `rule "${rule.name}" (line ${rule.line}): ${rule.action}`,
      };
    }
  }
  return { action: 'deny', rule: 'default', reason: 'no rule of the policy allows it (default deny)' };
}

/** undefined when every condition of the rule holds, else a short description of the first that does not. */
async function firstUnmet(
  rule: PolicyRule,
  input: PolicyInput,
  usage: UsageSource,
  now: number,
): Promise<string | undefined> {
  const holds = (verdict: Verdict) => (verdict === 'unknown' ? rule.action === 'deny' : verdict);
  if (rule.chains && !rule.chains.includes(input.chain.toUpperCase())) return 'chain';
  if (rule.wallets && !rule.wallets.includes(input.wallet)) return 'wallet';
  if (rule.hoursUtc && !withinHours(rule.hoursUtc, now)) return 'time of day';
  const to = input.summary?.to;
  if (
    rule.toAllIn &&
    !holds(
      to === undefined || to.length === 0
        ? 'unknown'
        : to.every((address) => includes(rule.toAllIn!, address)),
    )
  )
    return 'destination allow-list';
  if (
    rule.toAnyIn &&
    !holds(to === undefined ? 'unknown' : to.some((address) => includes(rule.toAnyIn!, address)))
  )
    return 'destination deny-list';
  const amount = amountOf(input, rule.asset);
  if (rule.minAmount !== undefined && !holds(amount === undefined ? 'unknown' : amount >= rule.minAmount))
    return 'minimum amount';
  if (rule.maxAmount !== undefined && !holds(amount === undefined ? 'unknown' : amount <= rule.maxAmount))
    return 'maximum amount';
  if (rule.window) {
    const window = rule.window;
    const used = await usage.usage({
      chain: input.chain.toUpperCase(),
      wallet: window.per === 'wallet' ? input.wallet : undefined,
      asset: rule.asset,
      since: now - window.periodMs,
    });
    if (window.maxCount !== undefined && !holds(used.count + 1 <= window.maxCount)) return 'count in window';
    if (
      window.maxAmount !== undefined &&
      !holds(amount === undefined ? 'unknown' : used.amount + amount <= window.maxAmount)
    )
      return 'amount in window';
  }
  return undefined;
}

/** The transaction's total of `asset`, undefined when it cannot be told. */
function amountOf(input: PolicyInput, asset: string | undefined): bigint | undefined {
  if (!input.summary || asset === undefined) return undefined;
  let total = 0n;
  for (const amount of input.summary.amounts) {
    if (amount.asset.toLowerCase() !== asset.toLowerCase()) continue;
    if (!/^\d+$/.test(amount.value)) return undefined;
    total += BigInt(amount.value);
  }
  return total;
}

/** Addresses compare case-insensitively only when they are hex (EVM); others exactly. */
function includes(list: string[], address: string): boolean {
  return list.some(
    (each) =>
      each === address || (/^0x[0-9a-f]+$/i.test(address) && each.toLowerCase() === address.toLowerCase()),
  );
}

function withinHours(hours: { from: number; to: number }, now: number): boolean {
  const date = new Date(now);
  const minute = date.getUTCHours() * 60 + date.getUTCMinutes();
  return hours.from <= hours.to
    ? minute >= hours.from && minute < hours.to
    : minute >= hours.from || minute < hours.to;
}
