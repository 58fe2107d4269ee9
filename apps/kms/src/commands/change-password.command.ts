import { Inject } from '@nestjs/common';
import { Command } from 'nest-commander';
import { InvalidArgumentError, PROMPTER, type Prompter } from '@kms/common';
import { InjectKmsConfig, type KmsConfig } from '@kms/config';
import {
  findLegacyBackups,
  InjectPasswordSource,
  InjectWalletStore,
  legacyBackupWarning,
  removeLegacyBackup,
  type PasswordChange,
  type PasswordSource,
  type WalletStore,
} from '@kms/storage';
import { CliOutput } from '../cli/cli-output';
import { KmsCommand } from '../cli/kms-command';
import { resealConfiguredJournal } from '../journal/journal-reseal';
import type { JournalReseal } from '@kms/journal';

@Command({
  name: 'changepassword',
  description:
    'Rotate the data key: re-encrypt every wallet under a new key wrapped by a new password (asked twice; stdin lines when piped) and re-seal the signing journal',
})
export class ChangePasswordCommand extends KmsCommand {
  constructor(
    @InjectWalletStore() private readonly store: WalletStore,
    @InjectPasswordSource() private readonly passwords: PasswordSource,
    @Inject(PROMPTER) private readonly prompter: Prompter,
    @InjectKmsConfig() private readonly config: KmsConfig,
    private readonly output: CliOutput,
  ) {
    super();
  }

  /**
   * The journal is re-sealed first, in one transaction, then the store's key rotated: interrupted
   * between the two, running the same change again finishes it (journal values that already open with
   * the new password are left alone).
   */
  async run(): Promise<void> {
    const current = await this.passwords.password();
    const next = await this.prompter.secret('Enter the new password: ');
    const again = await this.prompter.secret('Repeat the new password: ');
    if (!next) throw new InvalidArgumentError('The new password must not be empty');
    if (next !== again) throw new InvalidArgumentError('The new passwords do not match; nothing was changed');
    const journal = await resealConfiguredJournal(this.config, current, next);
    this.output.notice(describe(await this.store.changePassword(next), journal));
    await this.offerBackupRemoval();
  }

  /**
   * tatum-kms backups beside the wallet file still open with the old password: offer to delete them
   * (one y/N question, default no; a piped answer is the next stdin line, none means no).
   */
  private async offerBackupRemoval(): Promise<void> {
    const backups = await findLegacyBackups(this.config.walletPath);
    if (backups.length === 0) return;
    for (const backup of backups) this.output.notice(`Warning: ${legacyBackupWarning(backup)}`);
    const answer = await this.prompter.ask(
      `Delete ${backups.length === 1 ? 'this backup' : `these ${backups.length} backups`} now? [y/N] `,
    );
    if (!/^y(es)?$/i.test(answer ?? '')) {
      this.output.notice(`Kept ${backups.join(', ')}.`);
      return;
    }
    for (const backup of backups) {
      await removeLegacyBackup(backup);
      this.output.notice(`Deleted ${backup}.`);
    }
  }
}

/**
 * One line on what changed, e.g. "Password changed; the data key was rotated and 3 wallets
 * re-encrypted; 2 signing journal records re-sealed." (the journal part only when a journal exists).
 */
function describe({ wallets, unreadable, resumed }: PasswordChange, journal?: JournalReseal): string {
  const count = (n: number) => `${n} wallet${n === 1 ? '' : 's'}`;
  const finished = resumed ? ' (an interrupted change was finished)' : '';
  const damaged = unreadable
    ? ` ${count(unreadable)} could not be decrypted (damaged) and stayed as before.`
    : '';
  const records = (n: number) => `${n} signing journal record${n === 1 ? '' : 's'}`;
  const resealed = journal ? `; ${records(journal.resealed)} re-sealed` : '';
  const unopened = journal?.unopened
    ? ` ${records(journal.unopened)} opened with neither password and stayed as before.`
    : '';
  return `Password changed${finished}; the data key was rotated and ${count(wallets)} re-encrypted${resealed}.${damaged}${unopened}`;
}
