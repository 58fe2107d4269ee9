export { resolveKeys, type ResolvedKeys, type WalletLookup } from './key-resolver';
export * from './signing.errors';
export { SigningModule } from './signing.module';
export { SigningPipeline, type CycleOptions, type CycleReport } from './signing.pipeline';
