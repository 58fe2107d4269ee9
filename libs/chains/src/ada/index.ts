export { AdaSigner } from './ada.signer';
export type { AdaRosettaNode, AdaRosettaPath, AdaSigningNetwork } from './ada-rosetta';
export { AdaRosettaUnavailableError } from './ada-rosetta';
