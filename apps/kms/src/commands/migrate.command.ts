import { Command, Option } from 'nest-commander';
import { KmsCommand } from '../cli/kms-command';
import { CliOutput } from '../cli/cli-output';
import { WalletMigrator } from '../wallets/wallet-migrator.service';

interface MigrateOptions {
  from?: string;
  to?: string;
}

@Command({
  name: 'migrate',
  description:
    'Copy every wallet from one storage provider to another under the same signatureId and verify each copy; the source is not changed',
})
export class MigrateCommand extends KmsCommand {
  constructor(
    private readonly migrator: WalletMigrator,
    private readonly output: CliOutput,
  ) {
    super();
  }

  @Option({ flags: '--from <type>', description: 'provider to copy from: file, aws, azure or vgs' })
  parseFrom(value: string): string {
    return value;
  }

  @Option({ flags: '--to <type>', description: 'provider to copy to: file, aws, azure or vgs' })
  parseTo(value: string): string {
    return value;
  }

  async run(_args: string[], options: MigrateOptions = {}): Promise<void> {
    this.output.json(await this.migrator.migrate(options.from, options.to));
  }
}
