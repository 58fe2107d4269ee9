import { Command } from 'nest-commander';
import { KmsCommand } from '../cli/kms-command';
import { printJson } from '../cli/cli-output';
import { WalletManager } from '../wallets/wallet-manager.service';

@Command({ name: 'export', description: 'Print every stored wallet, secrets included' })
export class ExportCommand extends KmsCommand {
  constructor(private readonly wallets: WalletManager) {
    super();
  }

  async run(): Promise<void> {
    printJson(await this.wallets.exportAll());
  }
}
