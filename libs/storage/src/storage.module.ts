import { Module } from '@nestjs/common';
import { KmsError, NOTICES, PROMPTER, Prompter, type Notices } from '@kms/common';
import { KmsConfig, KMS_CONFIG, type StorageType } from '@kms/config';
import { FileWalletStore } from './file/file-wallet.store';
import { EnvPasswordSource } from './password/env-password.source';
import { PromptPasswordSource } from './password/prompt-password.source';
import { loadProvider } from './provider-loader';
import type { SecretVault } from './vault/secret-vault.port';
import { VaultWalletStore } from './vault/vault-wallet.store';
import {
  PASSWORD_SOURCE,
  PasswordSource,
  WALLET_STORE,
  WALLET_STORE_FACTORY,
  WalletStore,
  type WalletStoreFactory,
} from './wallet-store.port';

function assertNever(value: never): never {
  throw new KmsError('INVALID_CONFIG', `Unknown option ${String(value)}`);
}

type VaultClass = new (config: KmsConfig) => SecretVault;
type PasswordSourceClass = new (config: KmsConfig) => PasswordSource;

/**
 * The one place that maps configuration to a password source. The vault sources are required inside
 * their branch, so their SDKs load only when chosen.
 */
export function createPasswordSource(config: KmsConfig, prompter: Prompter): PasswordSource {
  switch (config.passwordSource) {
    case 'env':
      return new EnvPasswordSource(config.password ?? '');
    case 'prompt':
      return new PromptPasswordSource(prompter, () => storeIsNew(config));
    case 'aws': {
      const Source = loadProvider<PasswordSourceClass>(
        './aws/aws-password.source',
        'AwsPasswordSource',
        'The --aws password source',
      );
      return new Source(config);
    }
    case 'azure': {
      const Source = loadProvider<PasswordSourceClass>(
        './azure/azure-password.source',
        'AzurePasswordSource',
        'The --azure password source',
      );
      return new Source(config);
    }
    case 'vgs': {
      const Source = loadProvider<PasswordSourceClass>(
        './vgs/vgs-password.source',
        'VgsPasswordSource',
        'The --vgs password source',
      );
      return new Source(config);
    }
    default:
      return assertNever(config.passwordSource);
  }
}

/**
 * Whether the configured store does not exist yet (its first password is then asked twice). Looks
 * through a store instance of its own, which needs no password to tell.
 */
async function storeIsNew(config: KmsConfig): Promise<boolean> {
  const unused: PasswordSource = {
    origin: 'none',
    password: () => Promise.reject(new KmsError('INTERNAL', 'no password is needed to tell a new store')),
  };
  return (await createWalletStore(config, unused).isNew?.()) ?? false;
}

/**
 * The one place that maps configuration to a wallet store provider (`storage` overrides the
 * configured one: migrate builds two stores). Cloud SDKs load only in their branch.
 */
export function createWalletStore(
  config: KmsConfig,
  passwords: PasswordSource,
  storage: StorageType = config.storage,
  notices?: Notices,
): WalletStore {
  const vaultStore = (path: string, exportName: string) => {
    const Vault = loadProvider<VaultClass>(path, exportName, `The ${storage} storage provider`);
    return new VaultWalletStore(new Vault(config), passwords, config.secretPrefix, {
      listTtlMs: config.vaultListTtlSeconds * 1000,
    });
  };
  switch (storage) {
    case 'file':
      return new FileWalletStore(config.walletPath, passwords, { warn: (message) => notices?.warn(message) });
    case 'aws':
      return vaultStore('./aws/aws-secrets.vault', 'AwsSecretsVault');
    case 'azure':
      return vaultStore('./azure/azure-key.vault', 'AzureKeyVault');
    case 'vgs':
      return vaultStore('./vgs/vgs.vault', 'VgsVault');
    default:
      return assertNever(storage);
  }
}

/**
 * Provides WALLET_STORE and PASSWORD_SOURCE from the validated KmsConfig, the global PROMPTER and the
 * optional global NOTICES (the application provides both). Nothing is read or decrypted at boot: the
 * store unlocks itself on first use.
 */
@Module({
  providers: [
    {
      provide: PASSWORD_SOURCE,
      inject: [KMS_CONFIG, PROMPTER],
      useFactory: (config: KmsConfig, prompter: Prompter) =>
        lazyPasswordSource(() => createPasswordSource(config, prompter)),
    },
    {
      provide: WALLET_STORE,
      inject: [KMS_CONFIG, PASSWORD_SOURCE, { token: NOTICES, optional: true }],
      useFactory: (config: KmsConfig, passwords: PasswordSource, notices?: Notices) =>
        createWalletStore(config, passwords, config.storage, notices),
    },
    {
      provide: WALLET_STORE_FACTORY,
      inject: [KMS_CONFIG, PASSWORD_SOURCE, { token: NOTICES, optional: true }],
      useFactory:
        (config: KmsConfig, passwords: PasswordSource, notices?: Notices): WalletStoreFactory =>
        (storage) =>
          createWalletStore(config, passwords, storage, notices),
    },
  ],
  exports: [WALLET_STORE, WALLET_STORE_FACTORY, PASSWORD_SOURCE],
})
export class StorageModule {}

/** Defers choosing the password source (and any error it raises) to the first password request. */
function lazyPasswordSource(create: () => PasswordSource): PasswordSource {
  let source: PasswordSource | undefined;
  return {
    get origin() {
      try {
        return (source ??= create()).origin;
      } catch {
        return 'unavailable';
      }
    },
    password: async () => (source ??= create()).password(),
  };
}
