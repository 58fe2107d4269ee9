/**
 * Says what went wrong with a Secrets Manager call, from the error's name, status and code only:
 * the service's own message is never quoted (it may echo request input), and the SDK errors carry no
 * credential, so nothing secret can leak into the text.
 */

const CREDENTIAL_ERRORS = new Set([
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'IncompleteSignature',
  'IncompleteSignatureException',
  'InvalidClientTokenId',
  'MissingAuthenticationToken',
  'MissingAuthenticationTokenException',
  'SignatureDoesNotMatch',
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidAccessKeyId',
]);

const THROTTLING_ERRORS = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
]);

const NETWORK_ERRORS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection closed',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'name resolution failed',
  ECONNABORTED: 'connection aborted',
  CERT_HAS_EXPIRED: 'TLS certificate expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed TLS certificate',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS certificate not trusted',
};

interface SdkError {
  name?: string;
  code?: string;
  message?: string;
  $fault?: 'client' | 'server';
  $metadata?: { httpStatusCode?: number; attempts?: number };
}

export function describeAwsFailure(
  error: unknown,
  operation: string,
  secret: string | undefined,
  target: string,
): string {
  const e = (error ?? {}) as SdkError;
  const name = typeof e.name === 'string' ? e.name : 'Error';
  const status = e.$metadata?.httpStatusCode;
  const attempts = e.$metadata?.attempts;
  const after = attempts && attempts > 1 ? ` after ${attempts} attempts` : '';
  const on = secret ? ` on secret ${secret}` : '';

  if (name === 'CredentialsProviderError') {
    return (
      'no AWS credentials found: set TATUM_KMS_AWS_ACCESS_KEY_ID and TATUM_KMS_AWS_SECRET_ACCESS_KEY, ' +
      'or configure the default credential provider chain (environment, ~/.aws, instance or task role)'
    );
  }
  if (/region is missing/i.test(String(e.message))) return 'no AWS region: set TATUM_KMS_AWS_REGION';
  if (CREDENTIAL_ERRORS.has(name)) {
    return (
      `Secrets Manager at ${target} refused the credentials (${name}): check TATUM_KMS_AWS_ACCESS_KEY_ID ` +
      'and TATUM_KMS_AWS_SECRET_ACCESS_KEY, or the default credential provider chain'
    );
  }
  if (name === 'AccessDeniedException' || name === 'AccessDenied') {
    return `access denied: the AWS identity may not call secretsmanager:${operation}${on}`;
  }
  if (THROTTLING_ERRORS.has(name)) {
    return `Secrets Manager throttled ${operation}${on} (${name})${after || ' and retries were exhausted'}; try again later`;
  }
  if (name === 'DecryptionFailure' || name === 'EncryptionFailure') {
    return `Secrets Manager could not use the KMS key of the secret (${name})${on}`;
  }
  if (name === 'LimitExceededException') return `a Secrets Manager quota was exceeded by ${operation}${on}`;
  if (name === 'ResourceNotFoundException') return `${operation}: the secret does not exist${on}`;
  if (name === 'InvalidRequestException' && /(marked|scheduled) for deletion/i.test(String(e.message))) {
    return `${operation}: the secret is scheduled for deletion${on}; restore it or wait until it is deleted`;
  }

  const network = networkReason(error);
  if (network) return `cannot reach Secrets Manager at ${target} (${network})${after}`;
  if (e.$fault === 'server' || (status !== undefined && status >= 500)) {
    return `Secrets Manager failed ${operation}${on} (${name}${status ? `, HTTP ${status}` : ''})${after}`;
  }
  return `${operation}${on} failed (${name}${status ? `, HTTP ${status}` : ''})`;
}

/** The network-level reason of a failed request (connection, DNS, timeout), or undefined. */
function networkReason(error: unknown): string | undefined {
  for (let e = error as (SdkError & { cause?: unknown }) | undefined, depth = 0; e && depth < 4; depth++) {
    if (typeof e.code === 'string' && NETWORK_ERRORS[e.code]) return NETWORK_ERRORS[e.code];
    if (e.name === 'TimeoutError' || e.code === 'TimeoutError') return 'timed out';
    // The SDK wraps errors from another realm (a test sandbox) as "AWS SDK error wrapper for <error>".
    const code = /\b(E[A-Z_]{3,})\b/.exec(String(e.message))?.[1];
    if (code && NETWORK_ERRORS[code]) return NETWORK_ERRORS[code];
    if (/socket hang up/i.test(String(e.message))) return 'connection closed';
    e = e.cause as typeof e;
  }
  return undefined;
}
