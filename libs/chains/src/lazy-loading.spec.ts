/**
 * Importing `@kms/chains` (and booting ChainModule) must not load the heavy chain libraries: the CLI's
 * cold start depends on it. Each is replaced by a factory that records its loading.
 */
const HEAVY = ['@solana/web3.js', 'ethers', 'bitcoinjs-lib', 'ecpair', 'cashaddrjs'] as const;

describe('lazy loading', () => {
  let loaded: string[];

  beforeEach(() => {
    jest.resetModules();
    loaded = [];
    for (const name of HEAVY) {
      jest.doMock(name, () => {
        loaded.push(name);
        return jest.requireActual(name);
      });
    }
  });

  afterEach(() => {
    for (const name of HEAVY) jest.dontMock(name);
  });

  it('loads no chain library when the index is imported and the module boots', async () => {
    const { ChainModule, ChainRegistry } = await import('@kms/chains');
    const { Test } = await import('@nestjs/testing');
    const moduleRef = await Test.createTestingModule({ imports: [ChainModule.forRoot()] }).compile();
    await moduleRef.init();
    const registry = moduleRef.get(ChainRegistry);
    await registry.get('ETH').generateKeyPair(false);
    await registry.get('SOL').generateKeyPair(false);
    expect(loaded).toEqual([]);
    await moduleRef.close();
  });

  it('loads bitcoinjs-lib on the first BTC address, once', async () => {
    const { ChainModule, ChainRegistry } = await import('@kms/chains');
    const { Test } = await import('@nestjs/testing');
    const moduleRef = await Test.createTestingModule({ imports: [ChainModule.forRoot()] }).compile();
    await moduleRef.init();
    const btc = moduleRef.get(ChainRegistry).get('BTC');
    expect(loaded).toEqual([]);
    await btc.generateKeyPair(false);
    await btc.generateKeyPair(true);
    expect(loaded).toEqual(['bitcoinjs-lib']);
    await moduleRef.close();
  });
});
