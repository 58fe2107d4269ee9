export { KmsLogger, type KmsLoggerOptions, type LogSink } from './kms-logger';
export { KmsMetrics, type TransactionOutcome } from './kms-metrics';
export { isLogEvent, logEvent, type LogEvent, type LogFields } from './log-record';
export { OpsServer } from './ops-server';
export { Readiness, type CheckResult, type ReadinessReport } from './readiness';
