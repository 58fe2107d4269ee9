import type { KmsConfig } from '@kms/config';
import {
  JournalMissingError,
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

/** The journal when it exists (nothing is created when it does not). */
async function openExisting(
  config: Pick<KmsConfig, 'journal' | 'journalPath'>,
): Promise<SigningJournal | undefined> {
  try {
    return await openSigningJournal({
      setting: config.journal,
      embeddedPath: config.journalPath,
      existing: true,
    });
  } catch (error) {
    if (error instanceof JournalMissingError) return undefined;
    throw error;
  }
}
