export { KmsLogger, type KmsLoggerOptions, type LogSink } from './kms-logger';
export { KmsMetrics, type TransactionOutcome } from './kms-metrics';
export { OpsServer } from './ops-server';
export { Readiness, type CheckResult, type ReadinessReport } from './readiness';
