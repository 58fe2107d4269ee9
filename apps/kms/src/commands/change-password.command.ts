import { Inject } from '@nestjs/common';
import { Command } from 'nest-commander';
import { InvalidArgumentError, PROMPTER, type Prompter } from '@kms/common';
import { InjectPasswordSource, InjectWalletStore, type PasswordSource, type WalletStore } from '@kms/storage';
import { CliOutput } from '../cli/cli-output';
import { KmsCommand } from '../cli/kms-command';

@Command({
  name: 'changepassword',
  description: 'Re-encrypt the wallet store under a new password (asked twice; stdin lines when piped)',
})
export class ChangePasswordCommand extends KmsCommand {
  constructor(
    @InjectWalletStore() private readonly store: WalletStore,
    @InjectPasswordSource() private readonly passwords: PasswordSource,
    @Inject(PROMPTER) private readonly prompter: Prompter,
    private readonly output: CliOutput,
  ) {
    super();
  }

  async run(): Promise<void> {
    await this.passwords.password();
    const next = await this.prompter.secret('Enter the new password: ');
    const again = await this.prompter.secret('Repeat the new password: ');
    if (!next) throw new InvalidArgumentError('The new password must not be empty');
    if (next !== again) throw new InvalidArgumentError('The new passwords do not match; nothing was changed');
    await this.store.changePassword(next);
    this.output.notice('Password changed.');
  }
}
