import { DynamicModule, Module } from '@nestjs/common';
import { ChainModule } from '@kms/chains';
import { KmsConfigModule, type KmsFlags } from '@kms/config';
import { SchedulerModule } from '@kms/scheduler';
import { SigningModule } from '@kms/signing';
import { StorageModule } from '@kms/storage';
import { ChangePasswordCommand } from './commands/change-password.command';
import { DaemonCommand } from './commands/daemon.command';
import { CheckConfigCommand } from './commands/check-config.command';
import { ExportCommand } from './commands/export.command';
import { GenerateManagedPrivateKeyBatchCommand } from './commands/generate-managed-private-key-batch.command';
import { GenerateManagedWalletCommand } from './commands/generate-managed-wallet.command';
import { GenerateWalletCommand } from './commands/generate-wallet.command';
import { GetAddressCommand } from './commands/get-address.command';
import { GetManagedWalletCommand } from './commands/get-managed-wallet.command';
import { GetPrivateKeyCommand } from './commands/get-private-key.command';
import { RemoveWalletCommand } from './commands/remove-wallet.command';
import { ReportCommand } from './commands/report.command';
import { StoreManagedPrivateKeyCommand } from './commands/store-managed-private-key.command';
import { StoreManagedWalletCommand } from './commands/store-managed-wallet.command';
import { WalletManager } from './wallets/wallet-manager.service';
import { WalletReporter } from './wallets/wallet-reporter.service';

const COMMANDS = [
  DaemonCommand,
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
];

/** One container for both roles: every command is a provider; the flags shape the configuration. */
@Module({})
export class AppModule {
  static forRoot(flags: KmsFlags): DynamicModule {
    return {
      module: AppModule,
      imports: [KmsConfigModule.forRoot(flags), ChainModule.forRoot(), StorageModule, SigningModule, SchedulerModule],
      providers: [WalletManager, WalletReporter, ...COMMANDS],
    };
  }
}
