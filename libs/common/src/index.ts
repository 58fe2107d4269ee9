export * from './kms-error';
