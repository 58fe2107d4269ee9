import { type DynamicModule, Module, type Provider, type Type } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ChainRegistry } from './chain.registry';
import { AdaSigner } from './ada';
import { AlgoSigner } from './algo';
import { EgldSigner } from './egld';
import { EVM_SIGNERS } from './evm/evm.signer';
import { FlowSigner } from './flow';
import { SolanaSigner } from './solana/solana.signer';
import { TronSigner } from './tron';
import { UTXO_SIGNERS } from './utxo/utxo.signer';
import { VetSigner } from './vet';
import { XlmSigner } from './xlm';
import { XrpSigner } from './xrp';

export interface ChainModuleOptions {
  /**
   * Extra chains. A plugin is a Nest module that provides one class decorated `@ChainSigner('XYZ')`
   * implementing ChainSigner; a plugin for a chain that is already registered aborts the boot.
   */
  plugins?: Array<Type<unknown> | DynamicModule>;
}

/** The signers that ship with the KMS: one per row of EVM_CHAINS and UTXO_CHAINS, plus one class per other chain. */
export const BUILT_IN_CHAIN_SIGNERS: readonly Provider[] = [
  ...EVM_SIGNERS,
  ...UTXO_SIGNERS,
  SolanaSigner,
  TronSigner,
  VetSigner,
  EgldSigner,
  FlowSigner,
  AdaSigner,
  XrpSigner,
  XlmSigner,
  AlgoSigner,
];

/**
 * Registers every built-in chain signer and the plugins, and exports the ChainRegistry globally.
 * Importing it loads no chain library: signers load theirs on first use.
 *
 * @example
 * // A custom chain:
 * @ChainSigner('XYZ')
 * @Injectable()
 * export class XyzSigner implements ChainSigner { readonly chain = 'XYZ'; ... }
 *
 * @Module({ providers: [XyzSigner] })
 * export class XyzChainModule {}
 *
 * ChainModule.forRoot({ plugins: [XyzChainModule] });
 */
@Module({})
export class ChainModule {
  static forRoot(options: ChainModuleOptions = {}): DynamicModule {
    return {
      module: ChainModule,
      global: true,
      imports: [DiscoveryModule, ...(options.plugins ?? [])],
      providers: [ChainRegistry, ...BUILT_IN_CHAIN_SIGNERS],
      exports: [ChainRegistry],
    };
  }
}
