import { Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { ChainSigner } from './chain-signer.decorator';
import type { ChainSigner as ChainSignerPort, KeyPair } from './chain-signer.port';
import { ChainRegistry } from './chain.registry';
import { DuplicateChainSignerError } from './chains.errors';
import { ChainModule } from './chains.module';

const BUILT_IN = [
  'ADA',
  'ALGO',
  'BCH',
  'BSC',
  'BTC',
  'CELO',
  'DOGE',
  'EGLD',
  'ETH',
  'FLOW',
  'KCS',
  'KLAY',
  'LTC',
  'MATIC',
  'ONE',
  'SOL',
  'TRON',
  'VET',
  'XDC',
  'XLM',
  'XRP',
];

/** A minimal plugin chain, as a user would write it. */
function pluginSigner(chain: string) {
  @ChainSigner(chain)
  @Injectable()
  class PluginSigner implements ChainSignerPort {
    readonly chain = chain;
    readonly tatum = { broadcastPath: chain.toLowerCase(), offchainWithdrawals: false };
    readonly walletModel = 'keyPair' as const;
    generateWallet = async (): Promise<KeyPair> => ({ address: 'a', privateKey: 'k' });
    walletFromMnemonic = async (mnemonic: string) => ({ mnemonic });
    deriveAddress = async () => 'a';
    derivePrivateKey = async () => 'k';
    generateKeyPair = async (): Promise<KeyPair> => ({ address: 'a', privateKey: 'k' });
    importPrivateKey = async (privateKey: string): Promise<KeyPair> => ({ address: 'a', privateKey });
    signTransaction = async () => 'signed';
  }
  @Module({ providers: [PluginSigner] })
  class PluginModule {}
  return { PluginSigner, PluginModule };
}

describe('ChainModule', () => {
  it('registers exactly the built-in chains, each under its own symbol', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [ChainModule.forRoot()] }).compile();
    await moduleRef.init();
    const registry = moduleRef.get(ChainRegistry);
    expect(registry.chains()).toEqual(BUILT_IN);
    for (const chain of BUILT_IN) expect(registry.get(chain.toLowerCase()).chain).toBe(chain);
    expect(() => registry.get('XYZ')).toThrow(expect.objectContaining({ code: 'UNSUPPORTED_CHAIN' }));
    await moduleRef.close();
  });

  it('adds the chain of a plugin module', async () => {
    const { PluginModule, PluginSigner } = pluginSigner('XYZ');
    const moduleRef = await Test.createTestingModule({
      imports: [ChainModule.forRoot({ plugins: [PluginModule] })],
    }).compile();
    await moduleRef.init();
    const registry = moduleRef.get(ChainRegistry);
    expect(registry.chains()).toEqual([...BUILT_IN, 'XYZ'].sort());
    expect(registry.get('xyz')).toBeInstanceOf(PluginSigner);
    await moduleRef.close();
  });

  it('refuses to boot when a plugin registers a chain twice', async () => {
    const { PluginModule } = pluginSigner('ETH');
    const moduleRef = await Test.createTestingModule({
      imports: [ChainModule.forRoot({ plugins: [PluginModule] })],
    }).compile();
    await expect(moduleRef.init()).rejects.toThrow(DuplicateChainSignerError);
  });

  it('exports the registry globally', async () => {
    @Injectable()
    class Consumer {
      constructor(readonly registry: ChainRegistry) {}
    }
    @Module({ providers: [Consumer] })
    class FeatureModule {}
    const moduleRef = await Test.createTestingModule({
      imports: [ChainModule.forRoot(), FeatureModule],
    }).compile();
    await moduleRef.init();
    expect(moduleRef.get(Consumer).registry.has('BTC')).toBe(true);
    await moduleRef.close();
  });

  it('sets the SOL and FLOW signer options through forRoot and forRootAsync', async () => {
    const options = {
      solana: { confirmationTimeoutMs: 1_234, pollIntervalMs: 5 },
      flow: { sealTimeoutMs: 4_321 },
    };
    const direct = await Test.createTestingModule({ imports: [ChainModule.forRoot(options)] }).compile();
    const factory = await Test.createTestingModule({
      imports: [ChainModule.forRootAsync({ useFactory: async () => options })],
    }).compile();
    for (const moduleRef of [direct, factory]) {
      await moduleRef.init();
      const registry = moduleRef.get(ChainRegistry);
      const sol = registry.get('SOL') as unknown as {
        confirmation: { timeoutMs: number; pollIntervalMs: number };
      };
      expect(sol.confirmation).toEqual({ timeoutMs: 1_234, pollIntervalMs: 5 });
      const flow = registry.get('FLOW') as unknown as { tatumSender: { seal: { timeoutMs: number } } };
      expect(flow.tatumSender.seal.timeoutMs).toBe(4_321);
      await moduleRef.close();
    }
    const defaults = await Test.createTestingModule({ imports: [ChainModule.forRoot()] }).compile();
    await defaults.init();
    const sol = defaults.get(ChainRegistry).get('SOL') as unknown as { confirmation: { timeoutMs: number } };
    expect(sol.confirmation.timeoutMs).toBe(60_000);
    await defaults.close();
  });
});
