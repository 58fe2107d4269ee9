export { TronSigner } from './tron.signer';
