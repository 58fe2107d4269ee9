export type { CycleObserver, OutcomeEvent, TransactionOutcome } from './cycle-observer.port';
export { JournalUsage } from './journal-usage';
export { payloadHash } from './payload-hash';
export { policySummary } from './policy-summary';
export { resolveKeys, type ResolvedKeys, type WalletLookup } from './key-resolver';
export * from './signing.errors';
export { SigningModule } from './signing.module';
export { SigningPipeline, type CycleOptions, type CycleReport } from './signing.pipeline';
export {
  DEFAULT_LEASE_MS,
  JournalSession,
  signedTxHash,
  type JournalSessionOptions,
  type SignedTransaction,
} from './journal-session';
