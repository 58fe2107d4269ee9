export { XrpSigner } from './xrp.signer';
