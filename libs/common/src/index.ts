export * from './kms-error';
export * from './printable';
export * from './prompter';
export * from './safe-error-message';
export * from './protocol-version';
export * from './notices';
export { isLogEvent, logEvent, type LogEvent, type LogFields } from './log-record';
export * from './mask-secret';
