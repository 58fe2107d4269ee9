import { KmsError } from '@kms/common';
import type { AnyStorageProvider, StorageImplementation } from './storage-provider';

export class ProviderUnavailableError extends KmsError {
  constructor(what: string, detail = 'is not available in this version of the KMS') {
    super('PROVIDER_UNAVAILABLE', `${what} ${detail}`);
  }
}

/**
 * Imports a provider's implementation (its descriptor's `load`). A module that is missing, or misses
 * an SDK it needs, becomes ProviderUnavailableError naming the provider and the missing module; the
 * module's own errors pass through.
 */
export async function loadImplementation<Settings>(
  provider: AnyStorageProvider,
): Promise<StorageImplementation<Settings>> {
  const what = `The ${provider.type} storage provider`;
  let implementation: StorageImplementation<Settings>;
  try {
    implementation = await provider.load();
  } catch (error) {
    if ((error as NodeJS.ErrnoException)?.code !== 'MODULE_NOT_FOUND') throw error;
    const missing = /Cannot find module '([^']+)'/.exec(String((error as Error).message))?.[1];
    throw new ProviderUnavailableError(
      what,
      missing ? `cannot load: the module ${missing} is not installed` : undefined,
    );
  }
  if (typeof implementation?.openStore !== 'function')
    throw new ProviderUnavailableError(what, 'is incomplete (its module has no openStore)');
  return implementation;
}
