/** Node and TLS error codes that mean the vault (or the token endpoint) could not be reached or trusted. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'REQUEST_SEND_ERROR',
]);
const TLS_CODE = /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ERR_TLS|ERR_SSL/;
const AUTH_ERRORS = new Set([
  'AuthenticationError',
  'AggregateAuthenticationError',
  'AuthenticationRequiredError',
]);
/** MSAL error codes meaning the authority could not be reached (not that it refused anything). */
const UNREACHABLE_ENTRA = new Set([
  'network_error',
  'endpoints_resolution_error',
  'openid_config_error',
  'post_request_failed',
  'get_request_failed',
]);
const CREDENTIAL_HINT =
  'check TATUM_KMS_AZURE_TENANT_ID, TATUM_KMS_AZURE_CLIENT_ID and TATUM_KMS_AZURE_CLIENT_SECRET (or the identity DefaultAzureCredential uses)';

interface SdkError {
  name?: string;
  message?: string;
  code?: string;
  statusCode?: number;
  errorResponse?: { error?: string };
  errors?: unknown[];
  cause?: { errorCode?: unknown };
}

/**
 * Describes an Azure SDK failure for a VaultError: what failed and the likely fix, from the error's
 * name, HTTP status and code only. The SDK's own messages are not repeated (service and Entra ID texts
 * may quote request details), and the cause kept is a plain summary, never the SDK error, whose
 * request object holds the body that was sent (a secret value).
 */
export function describeAzureFailure(
  error: unknown,
  operation: string,
  secret: string | undefined,
  host: string,
): { message: string; cause: Error } {
  const e = (error ?? {}) as SdkError;
  const what = secret ? `${operation} ${secret}` : operation;
  const code = typeof e.code === 'string' ? e.code : undefined;
  const status = typeof e.statusCode === 'number' ? e.statusCode : undefined;
  const summary = [e.name, status && `HTTP ${status}`, code].filter(Boolean).join(' ');
  const done = (message: string) => ({ message, cause: new Error(summary || 'unknown error') });

  if (e.name === 'CredentialUnavailableError' || (e.name && AUTH_ERRORS.has(e.name))) {
    const aad = entraErrorCode(e);
    if ((aad && UNREACHABLE_ENTRA.has(aad)) || (status === undefined && code && NETWORK_CODES.has(code)))
      return done(
        `could not reach the Microsoft Entra ID token endpoint while ${what} (check TATUM_KMS_AZURE_AUTHORITY_HOST and the network)`,
      );
    if (
      e.name === 'CredentialUnavailableError' ||
      (e.name === 'AggregateAuthenticationError' && allUnavailable(e.errors))
    )
      return done(`no Azure credentials available while ${what}: ${CREDENTIAL_HINT}`);
    return done(`the credentials were refused while ${what}${aad ? ` (${aad})` : ''}: ${CREDENTIAL_HINT}`);
  }
  if (e.name === 'AbortError') return done(`no answer in time while ${what}`);
  if (code && TLS_CODE.test(code))
    return done(
      `the vault's TLS certificate is not trusted (${code}) while ${what}; a private CA goes in NODE_EXTRA_CA_CERTS`,
    );
  if (status === undefined && code && NETWORK_CODES.has(code))
    return done(
      `could not reach the vault (${code}) while ${what}; check TATUM_KMS_AZURE_VAULTURL and the network`,
    );
  if (/challenge resource .* does not match/i.test(e.message ?? ''))
    return done(
      `the vault's authentication challenge names another domain than ${host}; for a custom vault host set TATUM_KMS_AZURE_DISABLE_CHALLENGE_VERIFICATION=true`,
    );
  if (status === 401) return done(`the credentials were refused while ${what}: ${CREDENTIAL_HINT}`);
  if (status === 403)
    return done(
      `access denied while ${what} (${code ?? 'Forbidden'}): the identity needs the secrets get, list, set, delete, recover and purge permissions, and the secret must be enabled`,
    );
  if (status === 429)
    return done(`throttled while ${what}: still throttled after the allowed retries, try again later`);
  if (status !== undefined && status >= 500)
    return done(`the service failed while ${what} (HTTP ${status}) after the allowed retries`);
  if (status !== undefined)
    return done(`the request was refused while ${what} (HTTP ${status}${code ? ` ${code}` : ''})`);
  return done(`unexpected failure while ${what}${summary ? ` (${summary})` : ''}`);
}

/** The HTTP status of an SDK error, if it has one. */
export function azureStatus(error: unknown): number | undefined {
  const status = (error as SdkError | undefined)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

/**
 * The Entra ID / MSAL error code (`invalid_client`, `network_error`, ...): from the parsed response,
 * the MSAL cause, or the first word of the message, which the identity library starts with it. Only
 * a bare code is returned, never the description that follows it.
 */
function entraErrorCode(e: SdkError): string | undefined {
  const candidates = [
    e.errorResponse?.error,
    e.cause?.errorCode,
    /^([a-z_]{3,64}):/.exec(e.message ?? '')?.[1],
  ];
  return candidates.find(
    (candidate): candidate is string => typeof candidate === 'string' && /^[a-z_]{3,64}$/.test(candidate),
  );
}

function allUnavailable(errors: unknown[] | undefined): boolean {
  return (
    Array.isArray(errors) &&
    errors.length > 0 &&
    errors.every((inner) => (inner as SdkError)?.name === 'CredentialUnavailableError')
  );
}
