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

export const HTTP_APPROVAL_REFUSED =
  '--externalUrl must be an https URL on mainnet: over plain http anyone on the network path can approve transactions (and read them); ' +
  'set TATUM_KMS_ALLOW_HTTP_APPROVAL=true to accept it anyway (a loopback address such as 127.0.0.1 is accepted with a warning)';

/** Logged at daemon start for a plain-http approval server on mainnet (never the URL itself). */
export const HTTP_APPROVAL_WARNING = {
  loopback:
    'four-eye approvals are asked over plain http on a loopback address: safe only while the approval server runs on this machine',
  allowed:
    'four-eye approvals are asked over plain http (TATUM_KMS_ALLOW_HTTP_APPROVAL=true): anyone on the network path can approve transactions or read them',
  credentials: 'the credentials in --externalUrl are sent over plain http',
} as const;
