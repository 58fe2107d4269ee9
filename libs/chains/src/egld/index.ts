export { EgldSigner } from './egld.signer';
export type { EgldNetworkConfig, EgldSignedTransaction, EgldUnsignedTransaction } from './egld-transaction';
