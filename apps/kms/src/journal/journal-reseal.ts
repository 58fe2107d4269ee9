import { existsSync } from 'node:fs';
import type { KmsConfig } from '@kms/config';
import {
  isPostgresUrl,
  JournalUnavailableError,
  openSigningJournal,
  resealJournal,
  type JournalReseal,
  type SigningJournal,
} from '@kms/journal';

/**
 * `changepassword`'s part in the signing journal: re-seals the configured journal (the embedded one
 * beside the wallet file, or TATUM_KMS_JOURNAL's database) from the old password to the new one.
 * Undefined when there is no journal yet (nothing is created). JournalUnavailableError, never quoting
 * the URL, when a configured database cannot be reached: nothing was changed then.
 */
export async function resealConfiguredJournal(
  config: Pick<KmsConfig, 'journal' | 'journalPath'>,
  oldPassword: string,
  newPassword: string,
): Promise<JournalReseal | undefined> {
  const journal = await openExisting(config);
  if (!journal) return undefined;
  try {
    return await resealJournal(journal, oldPassword, newPassword);
  } finally {
    await journal.close();
  }
}

/** The journal when it exists; a database without the journal's tables is left without them. */
async function openExisting(
  config: Pick<KmsConfig, 'journal' | 'journalPath'>,
): Promise<SigningJournal | undefined> {
  const setting = config.journal;
  if (!setting) {
    if (!existsSync(config.journalPath)) return undefined;
    return openSigningJournal({ embeddedPath: config.journalPath });
  }
  if (isPostgresUrl(setting)) {
    try {
      await (await openSigningJournal({ setting, embeddedPath: config.journalPath, readOnly: true })).close();
    } catch (error) {
      if (error instanceof JournalUnavailableError && /holds no signing journal/.test(error.message)) {
        return undefined;
      }
      throw error;
    }
  }
  return openSigningJournal({ setting, embeddedPath: config.journalPath });
}
