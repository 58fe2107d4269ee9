export {
  DEFAULT_SUBMISSION_MEMORY_LIMITS,
  InMemorySubmissionMemory,
  type SubmissionMemoryLimits,
} from './in-memory-submission.memory';
export type { CycleObserver, OutcomeEvent, TransactionOutcome } from './cycle-observer.port';
export { payloadHash } from './payload-hash';
export { policySummary } from './policy-summary';
export { resolveKeys, type ResolvedKeys, type WalletLookup } from './key-resolver';
export * from './signing.errors';
export { SigningModule } from './signing.module';
export { SigningPipeline, type CycleOptions, type CycleReport } from './signing.pipeline';
export {
  SUBMISSION_MEMORY,
  type Submission,
  type SubmissionKey,
  type SubmissionMemory,
} from './submission-memory.port';
