export { XlmSigner } from './xlm.signer';
