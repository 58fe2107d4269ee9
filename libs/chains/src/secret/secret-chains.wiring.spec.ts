import { DiscoveryModule } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { ChainRegistry } from '../chain.registry';
import { AlgoSigner } from '../algo';
import { XlmSigner } from '../xlm';
import { XrpSigner } from '../xrp';

describe('XRP, XLM and ALGO providers', () => {
  it('are discovered by the registry as secret-wallet chains signing with the first key', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [DiscoveryModule],
      providers: [ChainRegistry, XrpSigner, XlmSigner, AlgoSigner],
    }).compile();
    await moduleRef.init();
    const registry = moduleRef.get(ChainRegistry);
    expect(registry.chains()).toEqual(['ALGO', 'XLM', 'XRP']);
    for (const [chain, type] of [
      ['xrp', XrpSigner],
      ['XLM', XlmSigner],
      ['Algo', AlgoSigner],
    ] as const) {
      const signer = registry.get(chain);
      expect(signer).toBeInstanceOf(type);
      expect(signer.chain).toBe(chain.toUpperCase());
      expect(signer.walletModel).toBe('secret');
      expect(signer.signsWith ?? 'firstKey').toBe('firstKey');
    }
    await moduleRef.close();
  });
});
