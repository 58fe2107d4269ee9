import type { StorageImplementation } from '../storage-provider';
import { VaultWalletStore } from '../vault/vault-wallet.store';
import { AwsPasswordSource } from './aws-password.source';
import { AwsSecretsVault } from './aws-secrets.vault';
import type { AwsSettings } from './aws.settings';

/** The aws provider's implementation, imported only when it is chosen (see AWS_STORAGE). */
export const openStore: StorageImplementation<AwsSettings>['openStore'] = (settings, passwords, context) =>
  new VaultWalletStore(new AwsSecretsVault(settings), passwords, context.secretPrefix, {
    listTtlMs: context.listTtlMs,
  });

export const openPasswordSource: NonNullable<StorageImplementation<AwsSettings>['openPasswordSource']> = (
  settings,
) => new AwsPasswordSource(settings);
