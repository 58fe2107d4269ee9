export { entryHash, GENESIS_HASH } from './entry-hash';
export {
  InjectSigningJournal,
  SIGNING_JOURNAL,
  type ClaimResult,
  type JournalClaim,
  type JournalEntry,
  type JournalFilter,
  type JournalOutcome,
  type JournalVerdict,
  type OutcomeRecord,
  type Resealer,
  type SignedRecord,
  type SigningJournal,
} from './journal.port';
export { JournalMissingError, JournalRecordRefusedError, JournalUnavailableError } from './journal.errors';
export { SqliteJournal, type SqliteJournalOptions } from './sqlite/sqlite-journal';
export { TxSealer } from './sealing/tx-sealer';
export { RESEAL_REPLICA, resealJournal, type JournalReseal } from './sealing/journal-reseal';
export { isPostgresUrl, openSigningJournal, type OpenJournalOptions } from './open-journal';
