export * from './config.errors';
export * from './kms-config';
export * from './kms-config.module';
export * from './kms-flags';
export * from './environment';
export * from './command-line';
