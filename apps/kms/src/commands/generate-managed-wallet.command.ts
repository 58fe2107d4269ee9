import { Command } from 'nest-commander';
import { KmsCommand } from '../cli/kms-command';
import { CliOutput } from '../cli/cli-output';
import { WalletManager } from '../wallets/wallet-manager.service';

@Command({
  name: 'generatemanagedwallet',
  arguments: '<chain>',
  description: 'Generate a wallet for a blockchain and store it; prints its signatureId',
})
export class GenerateManagedWalletCommand extends KmsCommand {
  constructor(
    private readonly wallets: WalletManager,
    private readonly output: CliOutput,
  ) {
    super();
  }

  async run([chain]: string[]): Promise<void> {
    this.output.json(await this.wallets.generateManagedWallet(chain));
  }
}
