export { AlgoSigner } from './algo.signer';
