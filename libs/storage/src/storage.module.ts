import { Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { KmsError, Prompter } from '@kms/common';
import { KmsConfig, KMS_CONFIG } from '@kms/config';
import { FileWalletStore } from './file/file-wallet.store';
import { EnvPasswordSource } from './password/env-password.source';
import { PromptPasswordSource } from './password/prompt-password.source';
import { PASSWORD_SOURCE, PasswordSource, WALLET_STORE, WalletStore } from './wallet-store.port';

export const PROMPTER = Symbol('PROMPTER');
export const InjectPrompter = (): ParameterDecorator => Inject(PROMPTER);

function assertNever(value: never): never {
  throw new KmsError('INVALID_CONFIG', `Unknown option ${String(value)}`);
}

class ProviderUnavailableError extends KmsError {
  constructor(what: string) {
    super('PROVIDER_UNAVAILABLE', `${what} is not available in this version of the KMS`);
  }
}

/** The one place that maps configuration to a password source. */
function createPasswordSource(config: KmsConfig, prompter: Prompter): PasswordSource {
  switch (config.passwordSource) {
    case 'env':
      return new EnvPasswordSource(config.password ?? '');
    case 'prompt':
      return new PromptPasswordSource(prompter);
    case 'aws':
    case 'azure':
    case 'vgs':
      throw new ProviderUnavailableError(`The --${config.passwordSource} password source`);
    default:
      return assertNever(config.passwordSource);
  }
}

/** The one place that maps configuration to a wallet store provider; cloud SDKs load only in their branch. */
function createWalletStore(config: KmsConfig, passwords: PasswordSource): WalletStore {
  switch (config.storage) {
    case 'file':
      return new FileWalletStore(config.walletPath, passwords);
    case 'aws':
    case 'azure':
    case 'vgs':
      throw new ProviderUnavailableError(`The ${config.storage} storage provider`);
    default:
      return assertNever(config.storage);
  }
}

/** Closes the prompter's hold on stdin when the application shuts down. */
class PrompterLifecycle implements OnApplicationShutdown {
  constructor(@Inject(PROMPTER) private readonly prompter: Prompter) {}
  onApplicationShutdown(): void {
    this.prompter.close();
  }
}

/**
 * Provides WALLET_STORE, PASSWORD_SOURCE and PROMPTER from the validated KmsConfig. Nothing is read
 * or decrypted at boot: the store unlocks itself on first use.
 */
@Module({
  providers: [
    { provide: PROMPTER, useFactory: () => new Prompter() },
    PrompterLifecycle,
    {
      provide: PASSWORD_SOURCE,
      inject: [KMS_CONFIG, PROMPTER],
      useFactory: (config: KmsConfig, prompter: Prompter) =>
        lazyPasswordSource(() => createPasswordSource(config, prompter)),
    },
    {
      provide: WALLET_STORE,
      inject: [KMS_CONFIG, PASSWORD_SOURCE],
      useFactory: createWalletStore,
    },
  ],
  exports: [WALLET_STORE, PASSWORD_SOURCE, PROMPTER],
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
