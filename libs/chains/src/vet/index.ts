export { VetSigner } from './vet.signer';
