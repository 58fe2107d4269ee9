/**
 * Shows that a secret is set without revealing it: 'N/A' when unset, otherwise its length in
 * asterisks, capped. (tatum-kms showed the first 6 characters; with API keys and short passwords that
 * reveals too much, so nothing of the value is shown here.)
 */
export function maskSecret(value: string | undefined): string {
  if (!value) return 'N/A';
  return `${'*'.repeat(Math.min(value.length, 12))} (set, ${value.length} characters)`;
}
