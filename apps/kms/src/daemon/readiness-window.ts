import { DEFAULT_APPROVAL_TIMEOUT_MS } from '@kms/four-eye';
import type { KmsConfig } from '@kms/config';

/**
 * How long after the last cycle ended the daemon still counts as ready: three periods plus what one
 * cycle's calls may take when they time out (an API call with its retries, and an approval).
 */
export function readinessWindowMs(config: KmsConfig): number {
  const apiAttempts = (config.apiRetries ?? 2) + 1;
  return 3 * config.period * 1000 + config.apiTimeoutMs * apiAttempts + DEFAULT_APPROVAL_TIMEOUT_MS;
}
