import { Command } from 'nest-commander';
import { KmsCommand } from '../cli/kms-command';
import { CliOutput } from '../cli/cli-output';
import { WalletManager } from '../wallets/wallet-manager.service';

@Command({
  name: 'getmanagedwallet',
  arguments: '<signatureId>',
  description: 'Print a stored wallet, secrets included',
})
export class GetManagedWalletCommand extends KmsCommand {
  constructor(
    private readonly wallets: WalletManager,
    private readonly output: CliOutput,
  ) {
    super();
  }

  async run([signatureId]: string[]): Promise<void> {
    this.output.json(await this.wallets.getWallet(signatureId));
  }
}
