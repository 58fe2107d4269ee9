import { Inject } from '@nestjs/common';
import { Command, Option } from 'nest-commander';
import type { KmsFlags } from '@kms/config';
import { CLI_FLAGS } from '../cli/cli.module';
import { CliOutput } from '../cli/cli-output';
import { KmsCommand } from '../cli/kms-command';
import { WalletMigrator } from '../wallets/wallet-migrator.service';

@Command({
  name: 'migrate',
  description:
    'Copy every wallet from one storage provider to another under the same signatureId and verify each copy; the source is not changed',
})
export class MigrateCommand extends KmsCommand {
  constructor(
    private readonly migrator: WalletMigrator,
    private readonly output: CliOutput,
    @Inject(CLI_FLAGS) private readonly flags: KmsFlags,
  ) {
    super();
  }

  @Option({ flags: '--from <type>', description: 'provider to copy from: a --storage type' })
  parseFrom(value: string): string {
    return value;
  }

  @Option({ flags: '--to <type>', description: 'provider to copy to: a --storage type' })
  parseTo(value: string): string {
    return value;
  }

  async run(): Promise<void> {
    this.output.json(await this.migrator.migrate(this.flags.from, this.flags.to));
  }
}
