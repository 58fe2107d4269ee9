import { Inject } from '@nestjs/common';
import { Command, Option } from 'nest-commander';
import { InvalidArgumentError, KmsError } from '@kms/common';
import { InjectKmsConfig, type KmsConfig, type KmsFlags } from '@kms/config';
import { openSigningJournal, TxSealer, type JournalEntry, type SigningJournal } from '@kms/journal';
import { InjectPasswordSource, type PasswordSource } from '@kms/storage';
import { CliOutput } from '../cli/cli-output';
import { CLI_FLAGS } from '../cli/cli.module';
import { KmsCommand } from '../cli/kms-command';
import { journalFilter } from '../journal/journal-filter';

/** `journal verify` found an edited, removed or reordered entry. */
export class JournalDamagedError extends KmsError {
  constructor(firstBadSeq: number, entries: number, reason: string) {
    super(
      'JOURNAL_DAMAGED',
      `The signing journal is damaged at entry ${firstBadSeq}: ${reason} (${entries} entries read)`,
    );
  }
}

/**
 * `journal list [--since] [--chain] [--outcome] [--with-tx]`: the signing journal's entries as JSON
 * lines, oldest first, without the signed bytes; with --with-tx each signed entry also carries
 * `signedTx`, opened with the store password. `journal verify`: walks the hash chain and exits
 * non-zero naming the first edited, removed or reordered entry. Both only read the journal (the
 * embedded one, or TATUM_KMS_JOURNAL's database), also while a daemon writes it.
 */
@Command({
  name: 'journal',
  arguments: '<action>',
  description:
    'journal list [--since <date|age>] [--chain <chain>] [--outcome <kind>] [--with-tx] | journal verify: read or check the signing journal',
})
export class JournalCommand extends KmsCommand {
  constructor(
    @InjectKmsConfig() private readonly config: KmsConfig,
    @Inject(CLI_FLAGS) private readonly flags: KmsFlags,
    @InjectPasswordSource() private readonly passwords: PasswordSource,
    private readonly output: CliOutput,
  ) {
    super();
  }

  async run([action]: string[]): Promise<void> {
    if (action !== 'list' && action !== 'verify') {
      throw new InvalidArgumentError(
        `Unknown journal action "${action ?? ''}": use journal list or journal verify`,
      );
    }
    const filter = action === 'list' ? journalFilter(this.flags) : {};
    const sealer =
      action === 'list' && this.flags.withTx
        ? await TxSealer.fromPassword(await this.passwords.password())
        : undefined;
    const journal = await openSigningJournal({
      setting: this.config.journal,
      embeddedPath: this.config.journalPath,
      readOnly: true,
    });
    try {
      if (action === 'verify') return await this.verify(journal);
      const latest = sealer ? await latestSeals(journal) : new Map<string, string>();
      let lines: unknown[] = [];
      for await (const entry of journal.list(filter)) {
        lines.push(await this.line(entry, sealer, latest));
        if (lines.length >= 1000) {
          this.output.jsonLines(lines);
          lines = [];
        }
      }
      this.output.jsonLines(lines);
    } finally {
      await journal.close();
    }
  }

  private async verify(journal: SigningJournal): Promise<void> {
    const verdict = await journal.verify();
    if (!verdict.ok) throw new JournalDamagedError(verdict.firstBadSeq, verdict.entries, verdict.reason);
    this.output.json(verdict);
  }

  /**
   * An entry as printed: never the sealed bytes; the signed ones in clear only with --with-tx. A
   * `signed` entry written before a password change opens through its id's latest `resealed` entry
   * (the same transaction, sealed anew).
   */
  private async line(
    entry: JournalEntry,
    sealer: TxSealer | undefined,
    latest: ReadonlyMap<string, string>,
  ): Promise<Record<string, unknown>> {
    const { sealedTx, ...printed } = entry;
    if (!sealer || sealedTx === undefined) return printed;
    try {
      return { ...printed, signedTx: await sealer.open(sealedTx, entry) };
    } catch (error) {
      const resealed = latest.get(sealKey(entry));
      if (resealed !== undefined && resealed !== sealedTx) {
        const opened = await sealer.open(resealed, entry).catch(() => undefined);
        if (opened !== undefined) return { ...printed, signedTx: opened };
      }
      return { ...printed, signedTx: null, signedTxProblem: (error as Error).message };
    }
  }

  @Option({
    flags: '--since <date|age>',
    description: 'journal list: entries from this ISO date/time or age (30m, 12h, 7d)',
  })
  parseSince(value: string): string {
    return value;
  }

  @Option({
    flags: '--outcome <kind>',
    description: 'journal list: claimed, signed, broadcast, failed, refused or denied',
  })
  parseOutcome(value: string): string {
    return value;
  }

  @Option({
    flags: '--with-tx',
    description: 'journal list: include the signed transactions (opened with the store password)',
  })
  parseWithTx(): boolean {
    return true;
  }
}

/** Each re-sealed id's latest sealed value (from its `resealed` entries), by chain and pending id. */
async function latestSeals(journal: SigningJournal): Promise<Map<string, string>> {
  const latest = new Map<string, string>();
  for await (const entry of journal.list({ outcome: 'resealed' })) {
    if (entry.sealedTx !== undefined) latest.set(sealKey(entry), entry.sealedTx);
  }
  return latest;
}

function sealKey(entry: { chain: string; pendingId: string }): string {
  return JSON.stringify([entry.chain, entry.pendingId]);
}
