/** Reasons given for a denial: short, fixed wording, never a URL, credential or response body. */
export const DENIED = {
  status: (status: number) => `approval server answered ${status}`,
  redirect: (status: number) => `approval server redirected (${status}); redirects are not followed`,
  timeout: (ms: number) => `approval server timed out after ${ms} ms`,
  unreachable: (detail: string) => `approval server unreachable: ${detail}`,
  failed: (detail: string) => `approval request failed: ${detail}`,
  aborted: 'approval request aborted',
  badId: 'pending transaction id is empty or not usable in a URL',
} as const;

export const FOUR_EYE_REQUIRED_MESSAGE =
  'The daemon needs --externalUrl on mainnet (four-eye principle); use --testnet for test networks';
