import { KmsError } from '@kms/common';

export class ProviderUnavailableError extends KmsError {
  constructor(what: string, detail = 'is not available in this version of the KMS') {
    super('PROVIDER_UNAVAILABLE', `${what} ${detail}`);
  }
}

/**
 * Loads `exportName` from the module at `path` (relative to this folder) only when a provider needs
 * it, so the cloud SDKs that module imports load only when their provider is chosen. A module that
 * is missing (or misses an SDK it needs) becomes ProviderUnavailableError naming `what`; the module's
 * own errors pass through.
 */
export function loadProvider<T>(path: string, exportName: string, what: string): T {
  let loaded: Record<string, unknown>;
  try {
    loaded = require(path) as Record<string, unknown>;
  } catch (error) {
    if ((error as NodeJS.ErrnoException)?.code !== 'MODULE_NOT_FOUND') throw error;
    const missing = /Cannot find module '([^']+)'/.exec(String((error as Error).message))?.[1] ?? path;
    throw new ProviderUnavailableError(
      what,
      missing.endsWith(path.replace(/^\.\//, ''))
        ? 'is not available in this version of the KMS'
        : `cannot load: the module ${missing} is not installed`,
    );
  }
  const value = loaded[exportName];
  if (value === undefined)
    throw new ProviderUnavailableError(what, `is incomplete (${exportName} is missing)`);
  return value as T;
}
