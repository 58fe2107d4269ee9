export * from './kms-error';
export * from './prompter';
