import { Command } from 'nest-commander';
import { KmsCommand } from '../cli/kms-command';
import { CliOutput } from '../cli/cli-output';
import { parseIndex } from '../cli/parse-index';
import { WalletManager } from '../wallets/wallet-manager.service';

@Command({
  name: 'getaddress',
  arguments: '<signatureId> [index]',
  // so that a negative index reaches parseIndex (and its clear error) instead of being taken for a flag
  allowUnknownOptions: true,
  description: 'Print the address at a derivation index (a key wallet: omit the index or use 0)',
})
export class GetAddressCommand extends KmsCommand {
  constructor(
    private readonly wallets: WalletManager,
    private readonly output: CliOutput,
  ) {
    super();
  }

  async run([signatureId, index]: string[]): Promise<void> {
    this.output.json({ address: await this.wallets.address(signatureId, parseIndex(index)) });
  }
}
