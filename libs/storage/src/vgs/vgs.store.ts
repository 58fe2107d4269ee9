import type { StorageImplementation } from '../storage-provider';
import { VaultWalletStore } from '../vault/vault-wallet.store';
import { VgsPasswordSource } from './vgs-password.source';
import type { VgsProviderSettings } from './vgs.settings';
import { VgsVault } from './vgs.vault';

/** The vgs provider's implementation, imported only when it is chosen (see VGS_STORAGE). */
export const openStore: StorageImplementation<VgsProviderSettings>['openStore'] = (
  settings,
  passwords,
  context,
) =>
  new VaultWalletStore(new VgsVault(settings), passwords, context.secretPrefix, {
    listTtlMs: context.listTtlMs,
  });

export const openPasswordSource: NonNullable<
  StorageImplementation<VgsProviderSettings>['openPasswordSource']
> = (settings) => new VgsPasswordSource(settings);
