import {
  ConfigurableModuleBuilder,
  type DynamicModule,
  Module,
  type Provider,
  type Type,
} from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ChainRegistry } from './chain.registry';
import { AdaSigner } from './ada';
import { AlgoSigner } from './algo';
import { EgldSigner } from './egld';
import { EVM_SIGNERS } from './evm/evm.signer';
import { FlowSigner } from './flow';
import { FLOW_SIGNER_OPTIONS, type FlowSignerOptions } from './flow/flow.signer';
import { SolanaSigner } from './solana/solana.signer';
import { SOLANA_SIGNER_OPTIONS, type SolanaSignerOptions } from './solana/solana.signer';
import { TronSigner } from './tron';
import { UTXO_SIGNERS } from './utxo/utxo.signer';
import { VetSigner } from './vet';
import { XlmSigner } from './xlm';
import { XrpSigner } from './xrp';

/** Settings of the built-in signers (ChainModule.forRoot or forRootAsync). */
export interface ChainModuleOptions {
  /** SOL: how long a submitted transaction is awaited, and how often its status is asked. */
  solana?: SolanaSignerOptions;
  /** FLOW: how long a submitted transaction is awaited until sealed, and how often it is asked. */
  flow?: FlowSignerOptions;
}

/**
 * Extra chains. A plugin is a Nest module that provides one or more classes decorated
 * `@ChainSigner('XYZ')` implementing ChainSigner (with their `tatum` paths); a plugin for a chain
 * that is already registered aborts the boot.
 */
export interface ChainModuleExtras {
  plugins: Array<Type<unknown> | DynamicModule>;
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

/** The ChainModuleOptions of forRoot / forRootAsync (plugins aside). */
export const CHAIN_MODULE_OPTIONS = Symbol('CHAIN_MODULE_OPTIONS');

const { ConfigurableModuleClass: ChainModuleBase } = new ConfigurableModuleBuilder<ChainModuleOptions>({
  optionsInjectionToken: CHAIN_MODULE_OPTIONS,
})
  .setClassMethodName('forRoot')
  .setExtras<ChainModuleExtras>({ plugins: [] }, (definition, extras) => ({
    ...definition,
    global: true,
    imports: [...(definition.imports ?? []), DiscoveryModule, ...extras.plugins],
    providers: [
      ...(definition.providers ?? []),
      {
        provide: SOLANA_SIGNER_OPTIONS,
        inject: [CHAIN_MODULE_OPTIONS],
        useFactory: (options: ChainModuleOptions) => options.solana ?? {},
      },
      {
        provide: FLOW_SIGNER_OPTIONS,
        inject: [CHAIN_MODULE_OPTIONS],
        useFactory: (options: ChainModuleOptions) => options.flow ?? {},
      },
      ChainRegistry,
      ...BUILT_IN_CHAIN_SIGNERS,
    ],
    exports: [...(definition.exports ?? []), ChainRegistry],
  }))
  .build();

/**
 * Registers every built-in chain signer and the plugins, and exports the ChainRegistry globally.
 * Importing it loads no chain library: signers load theirs on first use.
 *
 * @example
 * // A custom chain:
 * @ChainSigner('XYZ')
 * @Injectable()
 * export class XyzSigner implements ChainSigner {
 *   readonly chain = 'XYZ';
 *   readonly tatum = { broadcastPath: 'xyz', offchainWithdrawals: false };
 *   ...
 * }
 *
 * @Module({ providers: [XyzSigner] })
 * export class XyzChainModule {}
 *
 * ChainModule.forRoot({ plugins: [XyzChainModule], solana: { confirmationTimeoutMs: 90_000 } });
 */
@Module({})
export class ChainModule extends ChainModuleBase {
  static forRoot(options: ChainModuleOptions & Partial<ChainModuleExtras> = {}): DynamicModule {
    return super.forRoot(options);
  }
}
