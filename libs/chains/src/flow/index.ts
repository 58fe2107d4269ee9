export { FlowSigner } from './flow.signer';
export type { FlowHashAlgorithm, FlowRestSignature, FlowRestTransaction } from './flow-pending-tx';
