/**
 * The chains library's test kit (`@kms/chains/testing`, for specs only; not in the build): payload
 * builders and fakes that end-to-end specs share with the chains' own unit specs.
 */
export { decodeRosettaEnvelope, type AdaRosettaPath } from '../ada/ada-rosetta';
export { fakeRosetta, tatumOperations } from '../ada/ada-rosetta.test-helpers';
export { tronTransaction } from '../tron/tron.test-helpers';
export { UtxoSigner } from '../utxo/utxo.signer';
export {
  CONFORMANCE_MNEMONIC,
  conformanceChecks,
  signerConformance,
  type ConformanceChecks,
  type ConformanceNetwork,
  type SignerConformanceFixtures,
} from './signer-conformance';
