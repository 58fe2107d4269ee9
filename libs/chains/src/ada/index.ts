export { AdaSigner } from './ada.signer';
export type { AdaRosettaNode, AdaRosettaPath } from './ada-rosetta';
