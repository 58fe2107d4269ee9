import { DynamicModule, Inject, Module } from '@nestjs/common';
import { KmsError, NOTICES, PROMPTER, Prompter, type Notices } from '@kms/common';
import { KmsConfig, KMS_CONFIG } from '@kms/config';
import { EnvPasswordSource } from './password/env-password.source';
import { PromptPasswordSource } from './password/prompt-password.source';
import { loadImplementation, ProviderUnavailableError } from './provider-unavailable.error';
import type { ResolvedStorage } from './resolve-storage';
import {
  PASSWORD_SOURCE,
  PasswordSource,
  WALLET_STORE,
  WALLET_STORE_FACTORY,
  WalletStore,
  type WalletStoreFactory,
} from './wallet-store.port';

export const RESOLVED_STORAGE = Symbol('RESOLVED_STORAGE');
export const InjectResolvedStorage = (): ParameterDecorator => Inject(RESOLVED_STORAGE);

/**
 * The password source of the run: TATUM_KMS_PASSWORD, the prompt, or the vault whose password flag
 * was given. A vault's implementation is imported, and its source built, on the first password
 * request, so commands that never need the password neither load it nor fail on its settings.
 */
export function createPasswordSource(
  storage: ResolvedStorage,
  config: KmsConfig,
  prompter: Prompter,
): PasswordSource {
  const vault = storage.passwordVault;
  if (vault) {
    let source: Promise<PasswordSource> | undefined;
    let created: PasswordSource | undefined;
    const create = async (): Promise<PasswordSource> => {
      const { openPasswordSource } = await loadImplementation(vault);
      if (!openPasswordSource)
        throw new ProviderUnavailableError(`The --${vault.passwordFlag!.name} password source`);
      return (created = openPasswordSource(storage.settings(vault.type)));
    };
    return {
      get origin() {
        return created?.origin ?? vault.title;
      },
      password: async () => {
        source ??= create().catch((error: unknown) => {
          source = undefined;
          throw error;
        });
        return (await source).password();
      },
    };
  }
  return storage.passwordSource === 'env'
    ? new EnvPasswordSource(config.password ?? '')
    : new PromptPasswordSource(prompter, () => storeIsNew(storage, config));
}

/**
 * True when the configured store does not exist yet (no wallet file, a vault without a data key):
 * its first password is then asked twice. Opening it to tell needs no password.
 */
async function storeIsNew(storage: ResolvedStorage, config: KmsConfig): Promise<boolean> {
  const unused: PasswordSource = {
    origin: 'none',
    password: () => Promise.reject(new KmsError('INTERNAL', 'no password is needed to tell a new store')),
  };
  return (await (await openWalletStore(storage, config, unused)).isNew?.()) ?? false;
}

/**
 * A new, still locked store of the provider of `type` (migrate opens a second one), its
 * implementation imported now: only chosen providers are ever loaded.
 */
export async function openWalletStore(
  storage: ResolvedStorage,
  config: KmsConfig,
  passwords: PasswordSource,
  type: string = storage.store.type,
  notices?: Notices,
): Promise<WalletStore> {
  const provider = storage.provider(type);
  if (!provider) throw new ProviderUnavailableError(`The ${type} storage provider`, 'is not known');
  const { openStore } = await loadImplementation(provider);
  return openStore(storage.settings(provider.type), passwords, {
    walletPath: config.walletPath,
    secretPrefix: storage.secretPrefix,
    listTtlMs: storage.listTtlSeconds * 1000,
    warn: (message) => notices?.warn(message),
  });
}

/**
 * Provides the ResolvedStorage of this run (settled by `resolveStorage` before Nest boots) to every
 * module: it is global, as KmsConfigModule is.
 */
@Module({})
export class StorageSettingsModule {
  static forRoot(storage: ResolvedStorage): DynamicModule {
    return {
      module: StorageSettingsModule,
      global: true,
      providers: [{ provide: RESOLVED_STORAGE, useValue: storage }],
      exports: [RESOLVED_STORAGE],
    };
  }
}

/**
 * Provides WALLET_STORE, WALLET_STORE_FACTORY and PASSWORD_SOURCE from the ResolvedStorage, the
 * KmsConfig, the global PROMPTER and the optional global NOTICES. Nothing is read or decrypted at
 * boot: the store unlocks itself on first use.
 */
@Module({
  providers: [
    {
      provide: PASSWORD_SOURCE,
      inject: [RESOLVED_STORAGE, KMS_CONFIG, PROMPTER],
      useFactory: createPasswordSource,
    },
    {
      provide: WALLET_STORE,
      inject: [RESOLVED_STORAGE, KMS_CONFIG, PASSWORD_SOURCE, { token: NOTICES, optional: true }],
      useFactory: (
        storage: ResolvedStorage,
        config: KmsConfig,
        passwords: PasswordSource,
        notices?: Notices,
      ) => openWalletStore(storage, config, passwords, storage.store.type, notices),
    },
    {
      provide: WALLET_STORE_FACTORY,
      inject: [RESOLVED_STORAGE, KMS_CONFIG, PASSWORD_SOURCE, { token: NOTICES, optional: true }],
      useFactory:
        (
          storage: ResolvedStorage,
          config: KmsConfig,
          passwords: PasswordSource,
          notices?: Notices,
        ): WalletStoreFactory =>
        (type) =>
          openWalletStore(storage, config, passwords, type, notices),
    },
  ],
  exports: [WALLET_STORE, WALLET_STORE_FACTORY, PASSWORD_SOURCE],
})
export class StorageModule {}
