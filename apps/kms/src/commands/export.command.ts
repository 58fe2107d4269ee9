import { Command } from 'nest-commander';
import { KmsCommand } from '../cli/kms-command';
import { CliOutput } from '../cli/cli-output';
import { WalletManager } from '../wallets/wallet-manager.service';

@Command({ name: 'export', description: 'Print every stored wallet, secrets included' })
export class ExportCommand extends KmsCommand {
  constructor(
    private readonly wallets: WalletManager,
    private readonly output: CliOutput,
  ) {
    super();
  }

  async run(): Promise<void> {
    this.output.json(await this.wallets.exportAll());
  }
}
