import { Test } from '@nestjs/testing';
import { ChainRegistry } from './chain.registry';
import { ChainModule } from './chains.module';
import { SDK_CHAIN_ALIASES, sdkAliasesOf, sdkAliasTarget } from './sdk-aliases';

/**
 * The names @tatumio/tatum 1.37.56 routes to another chain's wallet functions (its generateWallet,
 * generateAddressFromXPub and generatePrivateKeyFromMnemonic switches), by the function they reach.
 */
const SDK_ROUTES: Record<string, string[]> = {
  generateEthWallet: [
    'USDT',
    'WBTC',
    'LEO',
    'REVV',
    'LATOKEN',
    'COIIN',
    'SAND',
    'LINK',
    'UNI',
    'FREE',
    'MKR',
    'USDC',
    'BAT',
    'TUSD',
    'BUSD',
    'USDC_BSC',
    'COIIN_BSC',
    'GMC',
    'GMC_BSC',
    'PAX',
    'PAXG',
    'PLTC',
    'XCON',
    'BETH',
    'GAMEE',
    'INTENT',
    'EURTENT',
    'GOLDAX',
    'CAKE',
    'MATIC_ETH',
    'POL_ETH',
    'HAG',
    'BUSD_BSC',
    'BBTC',
    'BADA',
    'WBNB',
    'BDOT',
    'BXRP',
    'BLTC',
    'BBCH',
    'MMY',
    'ETH_ARB',
    'ETH_BASE',
    'ETH_OP',
    'USDC_ARB',
    'USDT_ARB',
    'USDC_BASE',
    'USDT_BASE',
    'USDC_OP',
    'USDT_OP',
    'B2U_BSC',
    'RMD',
  ],
  generatePolygonWallet: ['USDC_MATIC', 'USDC_MATIC_NATIVE', 'USDT_MATIC'],
  generateCeloWallet: ['CUSD', 'CEUR'],
  generateTronWallet: ['USDT_TRON', 'INRT_TRON'],
  generateFlowWallet: ['FUSD'],
};
/** Chains deriving on the Ethereum path (m/44'/60'/0'/0, testnet m/44'/1'/0'/0) as generateEthWallet. */
const ETH_PATH = ['ETH', 'BSC'];

describe('SDK chain aliases', () => {
  it('cover every name the SDK routes to another chain, each to a chain deriving the same way', () => {
    const target = {
      generatePolygonWallet: 'MATIC',
      generateCeloWallet: 'CELO',
      generateTronWallet: 'TRON',
      generateFlowWallet: 'FLOW',
    };
    for (const [route, names] of Object.entries(SDK_ROUTES)) {
      for (const name of names) {
        const base = SDK_CHAIN_ALIASES[name];
        if (route === 'generateEthWallet') expect([name, ETH_PATH.includes(base)]).toEqual([name, true]);
        else expect([name, base]).toEqual([name, target[route as keyof typeof target]]);
      }
    }
    const listed = new Set(Object.values(SDK_ROUTES).flat());
    expect(Object.keys(SDK_CHAIN_ALIASES).filter((name) => !listed.has(name))).toEqual(['USDC_SOL']);
  });

  it('resolves case-insensitively, and lists the aliases of a chain', () => {
    expect(sdkAliasTarget('usdt')).toBe('ETH');
    expect(sdkAliasTarget('ETH')).toBeUndefined();
    expect(sdkAliasTarget('toString')).toBeUndefined();
    expect(sdkAliasesOf('celo')).toEqual(['CUSD', 'CEUR']);
  });

  it("are resolved by the ChainRegistry to their base chain's signer; storedNames lists them", async () => {
    const moduleRef = await Test.createTestingModule({ imports: [ChainModule.forRoot()] }).compile();
    await moduleRef.init();
    const registry = moduleRef.get(ChainRegistry);
    for (const [alias, base] of Object.entries(SDK_CHAIN_ALIASES)) {
      expect(registry.has(alias)).toBe(true);
      expect(registry.get(alias.toLowerCase())).toBe(registry.get(base));
    }
    expect(registry.chains()).not.toContain('USDT');
    expect(registry.storedNames('TRON')).toEqual(['TRON', 'USDT_TRON', 'INRT_TRON']);
    expect(registry.storedNames('usdt')[0]).toBe('ETH');
    expect(registry.storedNames('BTC')).toEqual(['BTC']);
    expect(() => registry.get('ETC')).toThrow(/ETC/);
    await moduleRef.close();
  });
});
