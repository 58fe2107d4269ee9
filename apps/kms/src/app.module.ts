import { DynamicModule, Module } from '@nestjs/common';
import { ChainModule } from '@kms/chains';
import { KmsConfigModule, type KmsConfig, type KmsFlags } from '@kms/config';
import { StorageModule, StorageSettingsModule, type ResolvedStorage } from '@kms/storage';
import type { CliIo } from './cli/cli-io';
import { CliModule } from './cli/cli.module';
import type { CliOutput } from './cli/cli-output';
import { ApprovalKeyCommand } from './commands/approval-key.command';
import { ChangePasswordCommand } from './commands/change-password.command';
import { CheckConfigCommand } from './commands/check-config.command';
import { ExportCommand } from './commands/export.command';
import { GenerateManagedPrivateKeyBatchCommand } from './commands/generate-managed-private-key-batch.command';
import { GenerateManagedWalletCommand } from './commands/generate-managed-wallet.command';
import { GenerateWalletCommand } from './commands/generate-wallet.command';
import { GetAddressCommand } from './commands/get-address.command';
import { GetManagedWalletCommand } from './commands/get-managed-wallet.command';
import { GetPrivateKeyCommand } from './commands/get-private-key.command';
import { JournalCommand } from './commands/journal.command';
import { MigrateCommand } from './commands/migrate.command';
import { PolicyCommand } from './commands/policy.command';
import { RemoveWalletCommand } from './commands/remove-wallet.command';
import { ReportCommand } from './commands/report.command';
import { StoreManagedPrivateKeyCommand } from './commands/store-managed-private-key.command';
import { StoreManagedWalletCommand } from './commands/store-managed-wallet.command';
import type { PluginModule } from './plugins/load-plugins';
import { WalletManager } from './wallets/wallet-manager.service';
import { WalletMigrator } from './wallets/wallet-migrator.service';
import { WalletReporter } from './wallets/wallet-reporter.service';

const COMMANDS = [
  GenerateWalletCommand,
  GenerateManagedWalletCommand,
  StoreManagedWalletCommand,
  StoreManagedPrivateKeyCommand,
  GenerateManagedPrivateKeyBatchCommand,
  GetManagedWalletCommand,
  GetPrivateKeyCommand,
  GetAddressCommand,
  RemoveWalletCommand,
  ExportCommand,
  CheckConfigCommand,
  ReportCommand,
  ChangePasswordCommand,
  MigrateCommand,
  PolicyCommand,
  ApprovalKeyCommand,
  JournalCommand,
];

/** What one run of the CLI is made of: its validated configuration, the command, and its process boundary. */
export interface CliRun {
  config: KmsConfig;
  /** The storage providers and their settings, resolved and validated with the configuration. */
  storage: ResolvedStorage;
  /** The plugins' Nest modules (TATUM_KMS_PLUGINS / --plugins), loaded by loadPlugins. */
  plugins?: PluginModule[];
  flags: KmsFlags;
  command?: string;
  io: CliIo;
  output: CliOutput;
}

/**
 * One container for both roles: every command is a provider; the flags shape the configuration.
 * The daemon's modules (signing pipeline, Tatum client, four-eye, scheduler) are loaded only when
 * the daemon runs or help is shown, and the sandbox's likewise, so wallet commands start fast.
 */
@Module({})
export class AppModule {
  static forRoot({ config, storage, flags, command, io, output, plugins = [] }: CliRun): DynamicModule {
    const withDaemon = command === undefined || command === 'daemon' || command === 'help';
    const daemon: DynamicModule[] = withDaemon ? [require('./daemon.module').DaemonModule] : [];
    const withSandbox = command === undefined || command === 'sandbox' || command === 'help';
    const sandbox: DynamicModule[] = withSandbox ? [require('./sandbox/sandbox.module').SandboxModule] : [];
    return {
      module: AppModule,
      imports: [
        CliModule.forRoot(io, output, flags),
        KmsConfigModule.forRoot(config),
        StorageSettingsModule.forRoot(storage),
        ChainModule.forRoot({ plugins }),
        StorageModule,
        ...daemon,
        ...sandbox,
      ],
      providers: [WalletManager, WalletReporter, WalletMigrator, ...COMMANDS],
    };
  }
}
