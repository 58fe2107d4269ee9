import { Command } from 'nest-commander';
import { KmsCommand } from '../cli/kms-command';
import { WalletManager } from '../wallets/wallet-manager.service';

@Command({ name: 'removewallet', arguments: '<signatureId>', description: 'Remove a wallet from the store' })
export class RemoveWalletCommand extends KmsCommand {
  constructor(private readonly wallets: WalletManager) {
    super();
  }

  async run([signatureId]: string[]): Promise<void> {
    await this.wallets.remove(signatureId);
  }
}
