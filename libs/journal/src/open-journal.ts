import { safeErrorMessage } from '@kms/common';
import { existsSync } from 'node:fs';
import { JournalMissingError, JournalUnavailableError, NO_JOURNAL_CODE } from './journal.errors';
import type { SigningJournal } from './journal.port';
import { SqliteJournal } from './sqlite/sqlite-journal';

export interface OpenJournalOptions {
  /** TATUM_KMS_JOURNAL: unset for the embedded journal, `postgres://...` for PostgreSQL. */
  setting?: string;
  /** The embedded journal's file (the wallet folder's journal.sqlite). */
  embeddedPath: string;
  /** The daemon: the embedded journal is its alone, so leases left by a dead process are released. */
  daemon?: boolean;
  /** `journal list` / `journal verify`: nothing is created or written. */
  readOnly?: boolean;
  /**
   * `changepassword`: open (for writing) only a journal that exists; JournalMissingError, nothing
   * created, when there is none (no file, or a database without the journal's tables).
   */
  existing?: boolean;
}

export const isPostgresUrl = (setting: string): boolean => /^postgres(?:ql)?:\/\//i.test(setting);

/**
 * Opens the configured signing journal. The PostgreSQL adapter is loaded only when configured
 * (libs/journal/src/postgres/postgres-journal.ts must export `PostgresJournal` with a static
 * `open(url, { readOnly, existing })` resolving to a SigningJournal). JournalUnavailableError, never quoting
 * the URL (it may hold a password), when it cannot be opened.
 */
export async function openSigningJournal(options: OpenJournalOptions): Promise<SigningJournal> {
  const { setting } = options;
  if (!setting) {
    if (options.existing && !existsSync(options.embeddedPath)) {
      throw new JournalMissingError(`There is no signing journal at ${options.embeddedPath}`);
    }
    return SqliteJournal.open(options.embeddedPath, {
      releaseLeases: options.daemon === true,
      readOnly: options.readOnly,
    });
  }
  if (!isPostgresUrl(setting)) {
    throw new JournalUnavailableError(
      'TATUM_KMS_JOURNAL must be a postgres:// URL, or unset for the embedded journal',
    );
  }
  type PostgresModule = {
    PostgresJournal?: {
      open?(url: string, options: { readOnly?: boolean; existing?: boolean }): Promise<SigningJournal>;
    };
  };
  let loaded: PostgresModule;
  try {
    loaded = require('./postgres/postgres-journal') as PostgresModule;
  } catch (error) {
    const missing =
      (error as { code?: string }).code === 'MODULE_NOT_FOUND' &&
      String((error as Error).message).includes('postgres-journal');
    throw new JournalUnavailableError(
      missing
        ? 'The PostgreSQL signing journal (TATUM_KMS_JOURNAL=postgres://...) is not part of this build'
        : `The PostgreSQL signing journal cannot be loaded: ${redact(safeErrorMessage(error), setting)}`,
    );
  }
  const open = loaded.PostgresJournal?.open;
  if (typeof open !== 'function') {
    throw new JournalUnavailableError(
      'The PostgreSQL signing journal of this build has no PostgresJournal.open',
    );
  }
  try {
    return await open.call(loaded.PostgresJournal, setting, {
      readOnly: options.readOnly,
      existing: options.existing,
    });
  } catch (error) {
    if ((error as { code?: string }).code === NO_JOURNAL_CODE) {
      throw new JournalMissingError('The PostgreSQL database holds no signing journal');
    }
    throw new JournalUnavailableError(
      `The PostgreSQL signing journal cannot be opened: ${redact(safeErrorMessage(error), setting)}`,
    );
  }
}

/** The URL and its password out of a message (a driver may quote its connection string). */
function redact(message: string, url: string): string {
  let text = message.split(url).join('postgres://***');
  try {
    const password = decodeURIComponent(new URL(url).password);
    if (password) text = text.split(password).join('***');
  } catch {
    // not a URL: nothing more to take out
  }
  return text;
}
