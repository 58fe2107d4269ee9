import type { StorageImplementation } from '../storage-provider';
import { VaultWalletStore } from '../vault/vault-wallet.store';
import { AzureKeyVault } from './azure-key.vault';
import { AzurePasswordSource } from './azure-password.source';
import type { AzureSettings } from './azure.settings';

/** The azure provider's implementation, imported only when it is chosen (see AZURE_STORAGE). */
export const openStore: StorageImplementation<AzureSettings>['openStore'] = (settings, passwords, context) =>
  new VaultWalletStore(new AzureKeyVault(settings), passwords, context.secretPrefix, {
    listTtlMs: context.listTtlMs,
  });

export const openPasswordSource: NonNullable<StorageImplementation<AzureSettings>['openPasswordSource']> = (
  settings,
) => new AzurePasswordSource(settings);
