import { Command } from 'nest-commander';
import { KmsCommand } from '../cli/kms-command';
import { CliOutput } from '../cli/cli-output';
import { WalletManager } from '../wallets/wallet-manager.service';

@Command({
  name: 'storemanagedwallet',
  arguments: '<chain>',
  description: 'Store an existing mnemonic (asked hidden, or read from stdin) as a managed wallet',
})
export class StoreManagedWalletCommand extends KmsCommand {
  constructor(
    private readonly wallets: WalletManager,
    private readonly output: CliOutput,
  ) {
    super();
  }

  async run([chain]: string[]): Promise<void> {
    this.output.json(await this.wallets.storeManagedWallet(chain));
  }
}
