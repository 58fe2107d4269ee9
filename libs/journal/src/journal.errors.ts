import { KmsError } from '@kms/common';

/**
 * recordSignedMany refused some records (every adapter, checked by the contract suite): their
 * pending id is claimed by another replica now (this replica's lease expired and was taken over),
 * or was already recorded as signed with other bytes or another payload. The records not named
 * here were committed. The caller must not send the refused ones.
 */
export class JournalRecordRefusedError extends KmsError {
  constructor(readonly refused: ReadonlyArray<{ pendingId: string; chain: string; reason: string }>) {
    super(
      'JOURNAL_RECORD_REFUSED',
      `The signing journal refused ${refused.length} signed record(s): ${refused
        .slice(0, 3)
        .map((item) => `${item.chain} ${item.pendingId}: ${item.reason}`)
        .join('; ')}`,
    );
  }
}

/** The journal cannot be opened or written (file, permissions, database). */
export class JournalUnavailableError extends KmsError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('JOURNAL_UNAVAILABLE', message, options);
  }
}

/** `openSigningJournal({ existing: true })`: there is no journal yet (no file, no tables). */
export class JournalMissingError extends JournalUnavailableError {
  constructor(message: string) {
    super(message);
  }
}

/** The `code` a PostgreSQL adapter's error carries when the database holds no journal's tables. */
export const NO_JOURNAL_CODE = 'KMS_NO_JOURNAL';
