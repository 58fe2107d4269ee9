import type * as YamlModule from 'yaml';
import type { Document, YAMLMap, YAMLSeq } from 'yaml';
import type { Policy, PolicyAction, PolicyRule, PolicyWindow } from './policy';
import { InvalidPolicyError } from './policy.errors';

const ACTIONS: readonly PolicyAction[] = ['allow', 'deny', 'require-approval'];
const RULE_KEYS = new Set([
  'name',
  'action',
  'chains',
  'wallets',
  'to',
  'toAnyOf',
  'asset',
  'minAmount',
  'maxAmount',
  'window',
  'hoursUtc',
]);
const WINDOW_KEYS = new Set(['period', 'per', 'maxAmount', 'maxCount']);

let yamlModule: typeof YamlModule | undefined;
/** yaml is required with the first policy read: the commands that read none start without it. */
function yaml(): typeof YamlModule {
  yamlModule ??= require('yaml') as typeof YamlModule;
  return yamlModule;
}
const isMap = (node: unknown): node is YAMLMap => yaml().isMap(node);
const isSeq = (node: unknown): node is YAMLSeq => yaml().isSeq(node);

/**
 * Reads a policy file (YAML, of which JSON is a subset) and validates all of it: every problem is
 * named with its line, and any problem refuses the whole policy (InvalidPolicyError). Format:
 *
 * ```yaml
 * labels: { hot: [<signatureId>, ...] }     # optional wallet groups
 * rules:                                   # in order; the first match decides; no match denies
 *   - name: treasury-allow-list
 *     chains: [ETH]                        # any of
 *     wallets: [hot]                       # signatureIds or labels
 *     to: [0xabc...]                       # every destination in this list (allow-list)
 *     toAnyOf: [0xbad...]                  # some destination in this list (deny-list)
 *     asset: ETH                           # what the amounts below count
 *     minAmount: "0"                       # base units (wei, satoshi, ...), integers
 *     maxAmount: "1000000000000000000"
 *     window: { period: 24h, per: wallet, maxAmount: "5000000000000000000", maxCount: 20 }
 *     hoursUtc: "08:00-18:00"
 *     action: allow                        # allow | deny | require-approval
 * ```
 */
export function parsePolicy(text: string): Policy {
  const lines = new (yaml().LineCounter)();
  const doc = yaml().parseDocument(text, { lineCounter: lines, uniqueKeys: true });
  const problems: string[] = [];
  const lineOf = (node: unknown) => {
    const range = (node as { range?: [number, number] } | undefined)?.range;
    return range ? lines.linePos(range[0]).line : 1;
  };
  for (const error of doc.errors)
    problems.push(`line ${error.linePos?.[0].line ?? 1}: ${error.message.split('\n')[0]}`);
  if (problems.length) throw new InvalidPolicyError(problems);

  const problem = (node: unknown, message: string) => problems.push(`line ${lineOf(node)}: ${message}`);
  const root = doc.contents;
  if (!isMap(root)) throw new InvalidPolicyError(['line 1: the policy must be a map with `rules`']);
  for (const pair of root.items) {
    const key = String((pair.key as { value?: unknown })?.value);
    if (key !== 'rules' && key !== 'labels' && key !== 'version') problem(pair.key, `unknown key "${key}"`);
  }
  const labels = readLabels(doc, problem);
  const rulesNode = root.get('rules', true);
  if (!isSeq(rulesNode) || rulesNode.items.length === 0) {
    problem(rulesNode ?? root, '`rules` must be a non-empty list');
    throw new InvalidPolicyError(problems);
  }
  const rules: PolicyRule[] = [];
  const names = new Set<string>();
  rulesNode.items.forEach((node, index) => {
    const where = `rules[${index}]`;
    if (!isMap(node)) return void problem(node, `${where} must be a map`);
    const raw = node.toJSON() as Record<string, unknown>;
    for (const key of Object.keys(raw))
      if (!RULE_KEYS.has(key)) problem(node.get(key, true) ?? node, `${where}: unknown key "${key}"`);
    const at = (key: string) => node.get(key, true) ?? node;
    const rule: PolicyRule = {
      name: typeof raw.name === 'string' && raw.name ? raw.name : `rule ${index + 1}`,
      action: 'deny',
      line: lineOf(node),
    };
    if (names.has(rule.name)) problem(at('name'), `${where}: the name "${rule.name}" is used twice`);
    names.add(rule.name);
    if (!ACTIONS.includes(raw.action as PolicyAction))
      problem(at('action'), `${where}.action must be one of ${ACTIONS.join(', ')}`);
    else rule.action = raw.action as PolicyAction;
    const list = (key: string) => {
      if (raw[key] === undefined) return undefined;
      const value = raw[key];
      if (
        !Array.isArray(value) ||
        value.length === 0 ||
        !value.every((each) => typeof each === 'string' && each !== '')
      )
        return void problem(at(key), `${where}.${key} must be a non-empty list of strings`);
      return value as string[];
    };
    rule.chains = list('chains')?.map((chain) => chain.toUpperCase());
    rule.wallets = list('wallets')?.flatMap((wallet) => labels.get(wallet) ?? [wallet]);
    rule.toAllIn = list('to');
    rule.toAnyIn = list('toAnyOf');
    if (raw.asset !== undefined) {
      if (typeof raw.asset !== 'string' || !raw.asset)
        problem(at('asset'), `${where}.asset must be a string`);
      else rule.asset = raw.asset;
    }
    rule.minAmount = amount(raw.minAmount, () =>
      problem(at('minAmount'), `${where}.minAmount must be an integer in base units, e.g. "1000"`),
    );
    rule.maxAmount = amount(raw.maxAmount, () =>
      problem(at('maxAmount'), `${where}.maxAmount must be an integer in base units, e.g. "1000"`),
    );
    if (raw.window !== undefined)
      rule.window = readWindow(raw.window, at('window'), `${where}.window`, problem);
    if (
      (rule.minAmount !== undefined ||
        rule.maxAmount !== undefined ||
        rule.window?.maxAmount !== undefined) &&
      !rule.asset
    )
      problem(node, `${where}: amount conditions need \`asset\` (what they count)`);
    if (raw.hoursUtc !== undefined) {
      const match =
        typeof raw.hoursUtc === 'string' ? /^(\d\d):(\d\d)-(\d\d):(\d\d)$/.exec(raw.hoursUtc) : null;
      const minutes = match?.slice(1).map(Number);
      if (!minutes || minutes[0] > 23 || minutes[2] > 24 || minutes[1] > 59 || minutes[3] > 59)
        problem(at('hoursUtc'), `${where}.hoursUtc must be "HH:MM-HH:MM" (UTC)`);
      else rule.hoursUtc = { from: minutes[0] * 60 + minutes[1], to: minutes[2] * 60 + minutes[3] };
    }
    rules.push(rule);
  });
  if (problems.length) throw new InvalidPolicyError(problems);
  return { rules };
}

function readLabels(doc: Document, problem: (node: unknown, message: string) => void): Map<string, string[]> {
  const labels = new Map<string, string[]>();
  const node = doc.get('labels', true);
  if (node === undefined) return labels;
  if (!isMap(node)) return (problem(node, '`labels` must be a map of name: [signatureId, ...]'), labels);
  for (const [name, ids] of Object.entries(node.toJSON() as Record<string, unknown>)) {
    if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string' && id))
      problem(node.get(name, true) ?? node, `labels.${name} must be a list of signatureIds`);
    else labels.set(name, ids as string[]);
  }
  return labels;
}

function readWindow(
  raw: unknown,
  node: unknown,
  where: string,
  problem: (node: unknown, message: string) => void,
): PolicyWindow | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return void problem(node, `${where} must be a map`);
  const fields = raw as Record<string, unknown>;
  for (const key of Object.keys(fields))
    if (!WINDOW_KEYS.has(key)) problem(node, `${where}: unknown key "${key}"`);
  const period = typeof fields.period === 'string' ? /^(\d+)(m|h|d)$/.exec(fields.period) : null;
  if (!period || Number(period[1]) === 0) problem(node, `${where}.period must be like 30m, 24h or 7d`);
  if (fields.per !== 'wallet' && fields.per !== 'chain')
    problem(node, `${where}.per must be wallet or chain`);
  const maxAmount = amount(fields.maxAmount, () =>
    problem(node, `${where}.maxAmount must be an integer in base units`),
  );
  const maxCount = fields.maxCount;
  if (maxCount !== undefined && !(Number.isInteger(maxCount) && (maxCount as number) > 0))
    problem(node, `${where}.maxCount must be a positive integer`);
  if (fields.maxAmount === undefined && maxCount === undefined)
    problem(node, `${where} needs maxAmount or maxCount`);
  if (!period) return undefined;
  const unit = { m: 60_000, h: 3_600_000, d: 86_400_000 }[period[2] as 'm' | 'h' | 'd'];
  return {
    periodMs: Number(period[1]) * unit,
    per: fields.per as 'wallet' | 'chain',
    maxAmount,
    maxCount: maxCount as number | undefined,
  };
}

/** An integer amount in base units, written as a string or a safe integer. */
function amount(value: unknown, invalid: () => void): bigint | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' && /^\d+$/.test(value)) return BigInt(value);
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return BigInt(value);
  invalid();
  return undefined;
}
