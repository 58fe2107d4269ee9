import type { ResolvedStorage } from '@kms/storage';

/**
 * tatum-kms's name for where the store password comes from (checkconfig's "Wallet store type",
 * report's `system.store.type`): LOCAL for the environment or the prompt, else the store name the
 * vault's provider declares for its password flag.
 */
export function passwordStoreName(storage: ResolvedStorage): string {
  return storage.passwordVault?.passwordFlag?.storeName ?? 'LOCAL';
}
