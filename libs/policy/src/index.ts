export { evaluatePolicy } from './evaluate-policy';
export { parsePolicy } from './parse-policy';
export type { Policy, PolicyAction, PolicyDecision, PolicyInput, PolicyRule, PolicyWindow } from './policy';
export { InvalidPolicyError } from './policy.errors';
export { InMemoryUsage, type UsageQuery, type UsageRecord, type UsageSource } from './usage.port';
