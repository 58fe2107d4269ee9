/** What a rule does when it matches: sign, refuse, or sign only if the four-eye server approves. */
export type PolicyAction = 'allow' | 'deny' | 'require-approval';

/** A rolling window: the limits hold over the last `periodMs`, per wallet or per chain. */
export interface PolicyWindow {
  periodMs: number;
  per: 'wallet' | 'chain';
  /** Sum of `asset` amounts signed in the window, this transaction included (base units). */
  maxAmount?: bigint;
  /** Transactions signed in the window, this one included. */
  maxCount?: number;
}

/** One rule: it matches when every condition it sets holds. */
export interface PolicyRule {
  name: string;
  action: PolicyAction;
  /** The line of the rule in the policy file, for messages. */
  line: number;
  chains?: string[];
  /** signatureIds, or label names defined under `labels`, already expanded to ids. */
  wallets?: string[];
  /** Every destination must be one of these (an allow-list). */
  toAllIn?: string[];
  /** At least one destination is one of these (a deny-list). */
  toAnyIn?: string[];
  /** The asset the amount conditions are about (e.g. ETH, or a token contract). */
  asset?: string;
  minAmount?: bigint;
  maxAmount?: bigint;
  window?: PolicyWindow;
  /** UTC time of day, minutes since midnight; `from > to` wraps past midnight. */
  hoursUtc?: { from: number; to: number };
}

/** A validated policy: rules in order, the first match wins, no match denies. */
export interface Policy {
  rules: PolicyRule[];
}

/** What the policy knows of a pending transaction: where it comes from and what it does. */
export interface PolicyInput {
  chain: string;
  /** The signing wallet's signatureId. */
  wallet: string;
  /**
   * The chain's summary of the payload: destinations and amounts (integers in base units), or
   * undefined when the chain cannot describe it. Conditions that need it then do not hold for
   * allow/require-approval rules and do hold for deny rules (fail closed).
   */
  summary?: { to: string[]; amounts: Array<{ asset: string; value: string }> };
}

/** The policy's verdict, naming the rule that decided (`default` when none matched). */
export interface PolicyDecision {
  action: PolicyAction;
  rule: string;
  reason: string;
}
