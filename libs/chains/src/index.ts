import { ChainSigner as ChainSignerDecorator } from './chain-signer.decorator';
import type { ChainSigner as ChainSignerPort } from './chain-signer.port';

/**
 * One name for the decorator (value) and the port (type), so a plugin reads
 * `@ChainSigner('XYZ') class XyzSigner implements ChainSigner`.
 */
export const ChainSigner = ChainSignerDecorator;
export type ChainSigner = ChainSignerPort;

export type {
  KeyPair,
  NewWallet,
  ResubmitRequest,
  SignRequest,
  SigningNetwork,
  TransactionSigner,
} from './chain-signer.port';
export { ChainRegistry } from './chain.registry';
export { FeeCapExceededError, type FeeCap } from './fee-cap';
export * from './chains.errors';
export { ChainModule, type ChainModuleOptions } from './chains.module';
export type { Bip32Versions } from './hd/bip32';
export { EVM_CHAINS, type EvmChain, findEvmChain } from './evm/evm-chains';
export {
  UTXO_CHAINS,
  type UtxoAddressType,
  type UtxoChain,
  type UtxoNetwork,
  findUtxoChain,
  utxoNetwork,
} from './utxo/utxo-chains';
export { AdaRosettaUnavailableError, type AdaSigningNetwork } from './ada';
export type { EgldSigningNetwork } from './egld';
export { SolanaSubmissionError } from './solana/solana.errors';
export { SOLANA_SIGNER_OPTIONS, type SolanaSignerOptions } from './solana/solana.signer';
export { FLOW_SIGNER_OPTIONS, type FlowSignerOptions } from './flow/flow.signer';
export type { FlowSigningNetwork, FlowAccessAnswer } from './flow/flow-network';
