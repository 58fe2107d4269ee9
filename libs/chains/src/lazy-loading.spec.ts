import type { ChainNetwork } from './chain-network.port';

/**
 * Importing `@kms/chains` (and booting ChainModule) must not load the heavy chain libraries: the CLI's
 * cold start depends on it. Each is replaced by a factory that records its loading.
 */
const HEAVY = [
  '@solana/web3.js',
  'ethers',
  // EVM signatures come from libsecp256k1 (WASM), loaded by the first EVM signature.
  'tiny-secp256k1',
  'bitcoinjs-lib',
  'ecpair',
  'cashaddrjs',
  // EGLD and FLOW sign with noble alone; their SDKs serve only as test oracles and must never load.
  '@multiversx/sdk-core',
  '@onflow/sdk',
  // VET signs Thor transactions with thor-devkit, loaded by the first VET signature only.
  'thor-devkit',
  // XRP, XLM and ALGO load their official libraries on first use.
  'ripple-keypairs',
  'ripple-binary-codec',
  '@stellar/stellar-base',
  'algosdk',
  // ADA loads the Cardano serialization lib (WASM) on first use.
  '@emurgo/cardano-serialization-lib-nodejs',
] as const;

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

  it('EGLD and FLOW load no chain library, from keys to signatures', async () => {
    const { EgldSigner } = await import('./egld');
    const { FlowSigner } = await import('./flow');
    const egld = new EgldSigner();
    const flow = new FlowSigner();
    const egldKey = await egld.generateKeyPair();
    await flow.generateKeyPair(false);
    const signed = await egld.signTransaction({
      serializedTransaction: JSON.stringify({
        to: egldKey.address,
        value: '1',
        gasPrice: 1_000_000_000,
        gasLimit: 50_000,
        nonce: 0,
        chainID: 'D',
        version: 1,
      }),
      keys: [egldKey.privateKey],
      withdrawal: false,
      testnet: true,
      network: { tatum: async () => null, node: async () => null } as unknown as ChainNetwork,
    });
    expect(JSON.parse(signed)).toHaveProperty('signature');
    expect(loaded).toEqual([]);
  });

  it('TRON loads no chain library, from keys to signatures; VET loads thor-devkit on its first signature', async () => {
    const { TronSigner } = await import('./tron');
    const { VetSigner } = await import('./vet');
    const tron = new TronSigner();
    const vet = new VetSigner();
    const mnemonic = `${'abandon '.repeat(11)}about`;
    await tron.deriveAddress({ mnemonic }, 0, false);
    const tronKey = await tron.generateKeyPair(false);
    const { parseTronAddress } = await import('./tron/tron-keys');
    const { tronTransaction } = await import('./tron/tron.test-helpers');
    const owner = Buffer.from(parseTronAddress(tronKey.address)!).toString('hex');
    const tronTx = tronTransaction({
      contract: [{ type: 'TransferContract', value: { amount: 1, owner_address: owner, to_address: owner } }],
      ref_block_bytes: '0001',
      ref_block_hash: '0000000000000001',
      expiration: 1,
      timestamp: 1,
    });
    const tronSigned = await tron.signTransaction({
      serializedTransaction: JSON.stringify(tronTx),
      keys: [tronKey.privateKey],
      withdrawal: false,
      testnet: false,
      network: { tatum: async () => null, node: async () => null } as unknown as ChainNetwork,
    });
    expect(JSON.parse(tronSigned).signature).toHaveLength(1);
    const vetKey = await vet.generateKeyPair(false);
    await vet.deriveAddress({ mnemonic }, 0, true);
    expect(loaded).toEqual([]);
    const request = {
      serializedTransaction: JSON.stringify({
        to: vetKey.address,
        value: '1',
        gas: 21000,
        blockRef: '0x0000000000000001',
      }),
      keys: [vetKey.privateKey],
      withdrawal: false,
      testnet: false,
      network: { tatum: async () => null, node: async () => null } as unknown as ChainNetwork,
    };
    await vet.signTransaction(request);
    await vet.signTransaction(request);
    expect(loaded.filter((name) => name === 'thor-devkit')).toEqual(['thor-devkit']);
  });

  it('XRP, XLM and ALGO load their libraries on first use, once; XRP its codec on its first signature', async () => {
    const { XrpSigner } = await import('./xrp');
    const { XlmSigner } = await import('./xlm');
    const { AlgoSigner } = await import('./algo');
    const xrp = new XrpSigner();
    const signers: Array<import('./chain-signer.port').ChainSigner> = [
      xrp,
      new XlmSigner(),
      new AlgoSigner(),
    ];
    expect(loaded).toEqual([]);
    for (const signer of signers) {
      await signer.generateKeyPair(false);
      await signer.importPrivateKey((await signer.generateKeyPair(true)).privateKey, true);
    }
    expect([...loaded].sort()).toEqual(['@stellar/stellar-base', 'algosdk', 'ripple-keypairs']);
    const key = await signers[0].generateKeyPair(false);
    const request = {
      serializedTransaction: JSON.stringify({
        TransactionType: 'Payment',
        Account: key.address,
        Destination: key.address,
        Amount: '1',
        Fee: '10',
        Sequence: 1,
      }),
      keys: [key.privateKey],
      withdrawal: false,
      testnet: false,
      network: { tatum: async () => null, node: async () => null } as unknown as ChainNetwork,
    };
    await xrp.signTransaction(request);
    await xrp.signTransaction(request);
    expect(loaded.filter((name) => name === 'ripple-binary-codec')).toEqual(['ripple-binary-codec']);
  });

  it('ADA loads the Cardano serialization lib on its first use, once', async () => {
    const { AdaSigner } = await import('./ada');
    const ada = new AdaSigner();
    expect(loaded).toEqual([]);
    const { xpub } = await ada.walletFromMnemonic(`${'abandon '.repeat(11)}about`, false);
    await ada.deriveAddress({ xpub }, 0, true);
    await ada.generateKeyPair(false);
    expect(loaded).toEqual(['@emurgo/cardano-serialization-lib-nodejs']);
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
