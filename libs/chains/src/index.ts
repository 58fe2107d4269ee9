import { ChainSigner as ChainSignerDecorator } from './chain-signer.decorator';
import type { ChainSigner as ChainSignerPort } from './chain-signer.port';

/**
 * One name for the decorator (value) and the port (type), so a plugin reads
 * `@ChainSigner('XYZ') class XyzSigner implements ChainSigner`.
 */
export const ChainSigner = ChainSignerDecorator;
export type ChainSigner = ChainSignerPort;

export type {
  DescribeRequest,
  KeyPair,
  NewWallet,
  ResubmitRequest,
  SignRequest,
  SummaryAmount,
  TransactionKind,
  TransactionSigner,
  TransactionSummary,
} from './chain-signer.port';
export {
  API_KEY_PLACEHOLDER,
  type ChainNetwork,
  type NodeDefault,
  type NodeRestAnswer,
  type NodeRestRequest,
  type NodeRpcRequest,
  type TatumApiDeclaration,
  type TatumCallOptions,
} from './chain-network.port';
export { ChainRegistry } from './chain.registry';
export { orderedSummary } from './transaction-summary';
export { SDK_CHAIN_ALIASES, sdkAliasTarget } from './sdk-aliases';
export { FeeCapExceededError, type FeeCap } from './fee-cap';
export * from './chains.errors';
export {
  CHAIN_MODULE_OPTIONS,
  ChainModule,
  type ChainModuleExtras,
  type ChainModuleOptions,
} from './chains.module';
export type { Bip32Versions } from './hd/bip32';
export { EVM_CHAINS, type EvmChain, findEvmChain } from './evm/evm-chains';
/**
 * The EVM signer, for plugins adding an EVM chain this KMS does not ship: `new EvmSigner(row)` with the
 * chain's own EvmChain row (derivation paths, chain ids, fee cap, Tatum paths) signs as ETH does.
 */
export { EvmSigner } from './evm/evm.signer';
export {
  UTXO_CHAINS,
  type UtxoAddressType,
  type UtxoChain,
  type UtxoNetwork,
  findUtxoChain,
  utxoNetwork,
} from './utxo/utxo-chains';
export { SolanaSubmissionError } from './solana/solana.errors';
export type { SolanaSignerOptions } from './solana/solana.signer';
export type { FlowSignerOptions } from './flow/flow.signer';
