import { Command } from 'nest-commander';
import { KmsCommand } from '../cli/kms-command';
import { printJson } from '../cli/cli-output';
import { WalletManager } from '../wallets/wallet-manager.service';

@Command({
  name: 'generatemanagedwallet',
  arguments: '<chain>',
  description: 'Generate a wallet for a blockchain and store it; prints its signatureId',
})
export class GenerateManagedWalletCommand extends KmsCommand {
  constructor(private readonly wallets: WalletManager) {
    super();
  }

  async run([chain]: string[]): Promise<void> {
    printJson(await this.wallets.generateManagedWallet(chain));
  }
}
