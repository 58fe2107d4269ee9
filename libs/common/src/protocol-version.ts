/**
 * The tatum-kms release whose protocol this KMS implements (commands, flags, API calls, report shape).
 * It is what we send as `x-ttm-kms-client-version`, so the API's `x-ttm-kms-latest-version` notice
 * compares like with like: it warns only when Tatum announces a newer tatum-kms protocol. This KMS's
 * own release version (package.json) is separate; `--version` shows both.
 */
export const TATUM_KMS_PROTOCOL_VERSION = '8.0.1';
