import type { SummaryAmount, TransactionSummary } from './chain-signer.port';

/** An amount in base units (see SummaryAmount); `decimals` left out when the payload does not say. */
export function amount(asset: string, value: bigint | string, decimals?: number): SummaryAmount {
  return decimals === undefined
    ? { asset, value: value.toString() }
    : { asset, value: value.toString(), decimals };
}

/** A summary with nothing decoded yet: kind `unknown`, no parties, no amounts. */
export function emptySummary(chain: string): TransactionSummary {
  return { chain, kind: 'unknown', from: [], to: [], amounts: [] };
}

const DECIMAL = /^(\d*)(?:\.(\d*))?(?:e([+-]?\d{1,4}))?$/i;

/**
 * A non-negative decimal (`"10.5"`, `"1e-3"`, `"0.000001"`) as an exact integer and a number of
 * decimals (`{value: "105", decimals: 1}`), no floating point; undefined when it is not one.
 */
export function decimalToBaseUnits(text: string): { value: string; decimals: number } | undefined {
  const match = DECIMAL.exec(text.trim());
  if (!match || (match[1] === '' && (match[2] ?? '') === '')) return undefined;
  const fraction = match[2] ?? '';
  let digits = `${match[1]}${fraction}`;
  let decimals = fraction.length - Number(match[3] ?? 0);
  if (decimals < 0) {
    if (-decimals > 400) return undefined;
    digits += '0'.repeat(-decimals);
    decimals = 0;
  }
  // trailing zeros of the fraction say nothing: 10.50 is 105 with 1 decimal
  while (decimals > 0 && digits.endsWith('0')) {
    digits = digits.slice(0, -1);
    decimals--;
  }
  return { value: BigInt(digits || '0').toString(), decimals };
}

/** A decimal with `decimals` fractional digits at most, as base units (`"1.5"`, 8 -> 150000000). */
export function fixedToBaseUnits(text: string, decimals: number): bigint | undefined {
  const parsed = decimalToBaseUnits(text);
  if (parsed === undefined || parsed.decimals > decimals) return undefined;
  return BigInt(parsed.value) * 10n ** BigInt(decimals - parsed.decimals);
}

const FIELD_ORDER: ReadonlyArray<keyof TransactionSummary> = [
  'chain',
  'kind',
  'method',
  'from',
  'to',
  'amounts',
  'fee',
  'contract',
  'data',
  'change',
  'notes',
];

/**
 * The summary with its fields in one order (chain, kind, method, from, to, amounts, fee, contract,
 * data, change, notes), absent ones left out: what approval servers and `policy check` print.
 */
export function orderedSummary(summary: TransactionSummary): TransactionSummary {
  const ordered: Record<string, unknown> = {};
  for (const field of FIELD_ORDER) if (summary[field] !== undefined) ordered[field] = summary[field];
  return ordered as unknown as TransactionSummary;
}
