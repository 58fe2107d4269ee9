import { Command } from 'nest-commander';
import { KmsCommand } from '../cli/kms-command';
import { CliOutput } from '../cli/cli-output';
import { WalletManager } from '../wallets/wallet-manager.service';

@Command({
  name: 'generatewallet',
  arguments: '<chain>',
  description: 'Generate a wallet for a blockchain and print it (not stored)',
})
export class GenerateWalletCommand extends KmsCommand {
  constructor(
    private readonly wallets: WalletManager,
    private readonly output: CliOutput,
  ) {
    super();
  }

  async run([chain]: string[]): Promise<void> {
    this.output.json(await this.wallets.generateWallet(chain));
  }
}
