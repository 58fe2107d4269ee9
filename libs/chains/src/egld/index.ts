export { EgldSigner } from './egld.signer';
export type {
  EgldNetworkConfig,
  EgldSignedTransaction,
  EgldSigningNetwork,
  EgldUnsignedTransaction,
} from './egld-transaction';
