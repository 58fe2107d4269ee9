import { Test } from '@nestjs/testing';
import vectors from '@kms/test-fixtures/derivation.json';
import type { ChainSigner } from './chain-signer.port';
import { ChainRegistry } from './chain.registry';
import { ChainModule } from './chains.module';

/**
 * Every derivation vector of test/fixtures/derivation.json (Tatum SDK 1.37.68 / 2.2.100) for the chains
 * of this library, both networks, every index: xpub, address from the xpub, address from the
 * mnemonic alone, private key from the mnemonic, and the address of that key once imported.
 * BTC keys are expected to import to the P2WPKH address of the xpub (Tatum's own
 * generateAddressFromPrivatekey gives legacy P2PKH there; we keep one address type per chain).
 */
const HD_CHAINS = ['BTC', 'LTC', 'DOGE', 'BCH', 'ETH', 'BSC', 'MATIC', 'CELO', 'KLAY', 'ONE', 'XDC'];
const NETWORKS = [
  ['mainnet', false],
  ['testnet', true],
] as const;

interface NetworkVectors {
  generateWallet: { result: { xpub: string } };
  generateAddressFromXPub: Record<string, string>;
  generatePrivateKeyFromMnemonic: Record<string, string>;
}
interface Expected {
  xpub?: string;
  /** index -> [address, privateKey] */
  keys: Array<[number, string, string]>;
}

const mnemonic = vectors.mnemonic;
const indexes = (record: object) => Object.keys(record).filter((key) => /^\d+$/.test(key));

function v1(chain: string, network: 'mainnet' | 'testnet'): Expected {
  const v = (vectors.chains as unknown as Record<string, Record<string, NetworkVectors>>)[chain][network];
  return {
    xpub: v.generateWallet.result.xpub,
    keys: indexes(v.generateAddressFromXPub).map((i) => [
      Number(i),
      v.generateAddressFromXPub[i],
      v.generatePrivateKeyFromMnemonic[i],
    ]),
  };
}

function v2Celo(network: 'mainnet' | 'testnet'): Expected {
  const v = vectors.v2.A.CELO[network] as unknown as {
    generateWallet: { xpub: string };
    addresses: Record<string, { v2: string }>;
    privateKeys: Record<string, { v2: string }>;
  };
  return {
    xpub: v.generateWallet.xpub,
    keys: indexes(v.addresses).map((i) => [Number(i), v.addresses[i].v2, v.privateKeys[i].v2]),
  };
}

function v2Sol(): Expected {
  const v = vectors.v2.A.SOL.generateAddressFromMnemonic as Record<
    string,
    { address: string; privateKey: string }
  >;
  return { keys: indexes(v).map((i) => [Number(i), v[i].address, v[i].privateKey]) };
}

const CASES: Array<[string, string, boolean, Expected]> = [
  ...HD_CHAINS.flatMap((chain) =>
    NETWORKS.map(([n, t]) => [chain, `v1 ${n}`, t, v1(chain, n)] as [string, string, boolean, Expected]),
  ),
  ...NETWORKS.map(([n, t]) => ['CELO', `v2 ${n}`, t, v2Celo(n)] as [string, string, boolean, Expected]),
  ...NETWORKS.map(([n, t]) => ['SOL', `v2 ${n}`, t, v2Sol()] as [string, string, boolean, Expected]),
];

describe('derivation vectors', () => {
  let registry: ChainRegistry;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [ChainModule.forRoot()] }).compile();
    await moduleRef.init();
    registry = moduleRef.get(ChainRegistry);
  });

  describe.each(CASES)('%s %s', (chain, _label, testnet, expected) => {
    let signer: ChainSigner;
    beforeAll(() => {
      signer = registry.get(chain);
    });

    it('derives the wallet xpub from the mnemonic', async () => {
      const wallet = await signer.walletFromMnemonic(mnemonic, testnet);
      expect(wallet).toEqual(expected.xpub ? { mnemonic, xpub: expected.xpub } : { mnemonic });
    });

    it.each(expected.keys)('index %i: address and private key', async (index, address, privateKey) => {
      if (expected.xpub) {
        expect(await signer.deriveAddress({ xpub: expected.xpub }, index, testnet)).toBe(address);
      }
      expect(await signer.deriveAddress({ mnemonic }, index, testnet)).toBe(address);
      expect(await signer.derivePrivateKey(mnemonic, index, testnet)).toBe(privateKey);
      expect(await signer.importPrivateKey(privateKey, testnet)).toEqual({ address, privateKey });
    });
  });

  it("KCS (unverified path) derives like ETH: m/44'/60'/0'/0 on mainnet, m/44'/1'/0'/0 on testnet", async () => {
    for (const [network, testnet] of NETWORKS) {
      const eth = v1('ETH', network);
      const kcs = registry.get('KCS');
      expect((await kcs.walletFromMnemonic(mnemonic, testnet)).xpub).toBe(eth.xpub);
      const [index, address, privateKey] = eth.keys[1];
      expect(await kcs.deriveAddress({ xpub: eth.xpub }, index, testnet)).toBe(address);
      expect(await kcs.derivePrivateKey(mnemonic, index, testnet)).toBe(privateKey);
    }
  });
});
