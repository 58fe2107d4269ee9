import { type DynamicModule, Module } from '@nestjs/common';
import { ChainModule } from '@kms/chains';
import { NOTICES, PROMPTER, Prompter, type Notices, type PromptInput, type PromptOutput } from '@kms/common';
import { KmsConfigModule, type KmsConfig } from '@kms/config';
import { SigningModule } from '@kms/signing';
import { resolveStorage, STORAGE_PROVIDERS, StorageModule, StorageSettingsModule } from '@kms/storage';
import { TatumModule } from '@kms/tatum';

/**
 * The daemon's own providers (the modules DaemonModule builds the `daemon` command from: chain
 * signers, the wallet store, the Tatum client, the four-eye gateway and the signing pipeline), in a
 * container of the sandbox's configuration: its throwaway store, its embedded API and approval server.
 * The store's password comes from the configuration (never a prompt); notices go to `notices`.
 */
@Module({})
export class SandboxDaemonModule {
  static forRoot(config: KmsConfig, stdin: PromptInput, notices: PromptOutput): DynamicModule {
    return {
      module: SandboxDaemonModule,
      imports: [
        KmsConfigModule.forRoot(config),
        // the sandbox's store is always a new wallet file: no vault setting of the environment applies
        StorageSettingsModule.forRoot(resolveStorage(STORAGE_PROVIDERS, {}, {}, config)),
        ChainModule.forRoot(),
        SandboxBoundaryModule.forRoot(stdin, notices),
        StorageModule,
        TatumModule,
        SigningModule,
      ],
    };
  }
}

/** PROMPTER and NOTICES, which the store's module takes from the application (global). */
@Module({})
class SandboxBoundaryModule {
  static forRoot(stdin: PromptInput, notices: PromptOutput): DynamicModule {
    return {
      module: SandboxBoundaryModule,
      global: true,
      providers: [
        { provide: PROMPTER, useFactory: () => new Prompter(stdin, notices) },
        {
          provide: NOTICES,
          useValue: { warn: (message) => notices.write(`Warning: ${message}\n`) } satisfies Notices,
        },
      ],
      exports: [PROMPTER, NOTICES],
    };
  }
}
