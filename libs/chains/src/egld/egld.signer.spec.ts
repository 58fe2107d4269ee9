import { KmsError } from '@kms/common';
import { Address, Transaction, TransactionComputer, UserSecretKey, UserVerifier } from '@multiversx/sdk-core';
import { ed25519 } from '@noble/curves/ed25519.js';
import { hexToBytes } from '@noble/hashes/utils.js';
import vectors from '@kms/test-fixtures/derivation.json';
import { scriptedChainNetwork } from '@kms/test-support/scripted-chain-network';
import type { ChainNetwork } from '../chain-network.port';
import type { ChainSigner, SignRequest } from '../chain-signer.port';
import { egldPublicKeyOf } from './egld-keys';
import { egldBytesForSigning, type EgldNetworkConfig, type EgldSignedTransaction } from './egld-transaction';
import { EgldSigner } from './egld.signer';

const MNEMONIC = vectors.mnemonic;
const NETWORKS = [
  ['mainnet', false],
  ['testnet', true],
] as const;

interface EgldVectors {
  generateAddressFromXPub: Record<string, string | null>;
  generateAddressFromXPub_mnemonicAsXpub: Record<string, string>;
  generatePrivateKeyFromMnemonic: Record<string, string>;
  generateAddressFromPrivatekey: Record<string, string>;
}
const EGLD = vectors.chains.EGLD as unknown as Record<'mainnet' | 'testnet', EgldVectors>;
const indexes = (record: object) => Object.keys(record).filter((key) => /^\d+$/.test(key));

/** Awaits a rejection and checks its code and that its message does not contain `secret`. */
async function expectSafeError(promise: Promise<unknown>, code: string, secret?: string): Promise<KmsError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(KmsError);
  expect((error as KmsError).code).toBe(code);
  if (secret !== undefined) {
    expect((error as KmsError).message).not.toContain(secret);
    expect((error as KmsError).message).not.toContain(secret.slice(4, 20));
  }
  return error as KmsError;
}

describe('EgldSigner wallets', () => {
  const egld: ChainSigner = new EgldSigner();

  describe.each(NETWORKS)('%s vectors (Tatum SDK 1.37.68)', (network, testnet) => {
    const v = EGLD[network];
    it.each(indexes(v.generatePrivateKeyFromMnemonic))('index %s', async (i) => {
      const index = Number(i);
      const address = await egld.deriveAddress({ mnemonic: MNEMONIC }, index, testnet);
      // The meaningful addresses: the SDK's generateAddressFromXPub derived from an empty mnemonic (a bug).
      expect(address).toBe(v.generateAddressFromXPub_mnemonicAsXpub[i]);
      expect(address).not.toBe(v.generateAddressFromXPub[i]);
      const privateKey = await egld.derivePrivateKey(MNEMONIC, index, testnet);
      expect(privateKey).toBe(v.generatePrivateKeyFromMnemonic[i]);
      expect(await egld.importPrivateKey(privateKey, testnet)).toEqual({
        address: v.generateAddressFromPrivatekey[i],
        privateKey,
      });
    });
  });

  it('makes mnemonic wallets without an xpub and derives only from the mnemonic', async () => {
    expect(egld.walletModel).toBe('hd');
    const wallet = (await egld.generateWallet(false)) as { mnemonic: string };
    expect(Object.keys(wallet)).toEqual(['mnemonic']);
    expect(wallet.mnemonic.split(' ')).toHaveLength(24);
    expect(await egld.walletFromMnemonic(`  ${MNEMONIC}\n`, true)).toEqual({ mnemonic: MNEMONIC });
    await expectSafeError(egld.deriveAddress({ xpub: 'xpub' }, 0, false), 'INVALID_MNEMONIC');
    await expectSafeError(egld.deriveAddress({ mnemonic: MNEMONIC }, -1, false), 'INVALID_INDEX');
  });

  it.each([false, true])(
    'testnet=%p: importPrivateKey(generateKeyPair().privateKey) round-trips',
    async (t) => {
      const pair = await egld.generateKeyPair(t);
      expect(pair.privateKey).toMatch(/^[0-9a-f]{64}$/);
      expect(egldPublicKeyOf(pair.address)).toHaveLength(32);
      expect(await egld.importPrivateKey(pair.privateKey, t)).toEqual(pair);
      expect(await egld.importPrivateKey(`0x${pair.privateKey.toUpperCase()}`, t)).toEqual(pair);
      expect(await egld.generateKeyPair(t)).not.toEqual(pair);
    },
  );

  it.each([
    ['63 hex digits', 'a'.repeat(63)],
    ['65 hex digits', 'b'.repeat(65)],
    ['a 64-byte secret key', 'c'.repeat(128)],
    ['non-hex', `${'d'.repeat(62)}zz`],
    ['a mnemonic', MNEMONIC],
  ])('rejects %s without echoing it', async (_, key) => {
    await expectSafeError(egld.importPrivateKey(key, false), 'INVALID_PRIVATE_KEY', key);
  });
});

describe('EgldSigner.signTransaction', () => {
  const egld = new EgldSigner();
  const KEY = EGLD.testnet.generatePrivateKeyFromMnemonic['0'];
  const SENDER = EGLD.testnet.generateAddressFromPrivatekey['0'];
  const RECEIVER = EGLD.testnet.generateAddressFromPrivatekey['1'];
  const CONFIG: EgldNetworkConfig = { chainId: 'D', minGasPrice: 1_000_000_000, minTransactionVersion: 1 };

  /**
   * A MultiversX gateway fake (the ChainNetwork's EGLD node) answered by jest functions; `calls`
   * records what was asked. nonce: GET address/{a}/nonce, config: GET network/config, cost: POST
   * transaction/cost, in MultiversX's `{data: ...}` envelope.
   */
  function network(overrides: Record<string, jest.Mock> = {}) {
    const handlers = {
      nonce: jest.fn(async (_chain: string, _address: string): Promise<unknown> => 42),
      egldNetworkConfig: jest.fn(async (): Promise<Partial<EgldNetworkConfig>> => CONFIG),
      egldTransactionCost: jest.fn(async (_tx: unknown): Promise<unknown> => 56_000),
      ...overrides,
    };
    const fake = scriptedChainNetwork({
      async rest(node, method, path, body) {
        if (node !== 'EGLD') throw new Error(`unexpected node ${node}`);
        const nonce = /^address\/([^/]+)\/nonce$/.exec(path);
        if (method === 'GET' && nonce) return { data: { nonce: await handlers.nonce('EGLD', nonce[1]) } };
        if (method === 'GET' && path === 'network/config') {
          const config = await handlers.egldNetworkConfig();
          return {
            data: {
              config: {
                erd_chain_id: config.chainId,
                erd_min_gas_price: config.minGasPrice,
                erd_min_transaction_version: config.minTransactionVersion,
              },
            },
          };
        }
        if (method === 'POST' && path === 'transaction/cost') {
          return { data: { txGasUnits: await handlers.egldTransactionCost(body) } };
        }
        throw new Error(`unexpected ${method} ${path}`);
      },
    });
    return Object.assign(fake, handlers);
  }

  function request(tx: unknown, net: ChainNetwork = network(), keys = [KEY]): SignRequest {
    return {
      serializedTransaction: typeof tx === 'string' ? tx : JSON.stringify(tx),
      keys,
      withdrawal: false,
      testnet: true,
      network: net,
    };
  }

  /** Tatum's pending EGLD transaction (SDK 1.37.x, signatureId branch). */
  const TATUM_TX = {
    from: SENDER,
    to: RECEIVER,
    value: '1.5',
    data: 'hello',
    gasPrice: 1_000_000_000,
    gasLimit: 70_000,
  };

  it("signs Tatum's pending format; the signature verifies with sdk-core over its own serialization", async () => {
    const net = network();
    const signed = JSON.parse(await egld.signTransaction(request(TATUM_TX, net))) as EgldSignedTransaction;

    expect(Object.keys(signed)).toEqual([
      'nonce',
      'value',
      'receiver',
      'sender',
      'gasPrice',
      'gasLimit',
      'data',
      'chainID',
      'version',
      'signature',
    ]);
    expect(signed).toMatchObject({
      nonce: 42,
      value: '1500000000000000000',
      receiver: RECEIVER,
      sender: SENDER,
      gasPrice: 1_000_000_000,
      gasLimit: 70_000,
      data: Buffer.from('hello').toString('base64'),
      chainID: 'D',
      version: 1,
    });
    expect(net.nonce).toHaveBeenCalledWith('EGLD', SENDER);
    expect(net.egldTransactionCost).not.toHaveBeenCalled();

    const transaction = new Transaction({
      nonce: 42n,
      value: 1_500_000_000_000_000_000n,
      receiver: Address.newFromBech32(RECEIVER),
      sender: Address.newFromBech32(SENDER),
      gasPrice: 1_000_000_000n,
      gasLimit: 70_000n,
      data: Buffer.from('hello'),
      chainID: 'D',
      version: 1,
    });
    const sdkBytes = new TransactionComputer().computeBytesForSigning(transaction);
    expect(Buffer.from(egldBytesForSigning(signed)).equals(Buffer.from(sdkBytes))).toBe(true);
    const verifier = UserVerifier.fromAddress(Address.newFromBech32(SENDER));
    expect(await verifier.verify(sdkBytes, Buffer.from(signed.signature, 'hex'))).toBe(true);
    // ed25519 is deterministic: sdk-core's own signer gives the same signature.
    expect(Buffer.from(UserSecretKey.fromString(KEY).sign(sdkBytes)).toString('hex')).toBe(signed.signature);

    const tampered = Buffer.from(signed.signature, 'hex');
    tampered[10] ^= 1;
    expect(await verifier.verify(sdkBytes, tampered)).toBe(false);
    const otherValue = egldBytesForSigning({ ...signed, value: '1500000000000000001' });
    expect(ed25519.verify(hexToBytes(signed.signature), otherValue, egldPublicKeyOf(SENDER)!)).toBe(false);
  });

  it('keeps a nonce of 0, chain id and version from the JSON and asks the network nothing else', async () => {
    const net = network();
    const tx = { ...TATUM_TX, nonce: 0, chainID: '1', version: 2, data: undefined, value: 0.05 };
    const signed = JSON.parse(await egld.signTransaction(request(tx, net))) as EgldSignedTransaction;
    expect(signed).toMatchObject({ nonce: 0, chainID: '1', version: 2, value: '50000000000000000' });
    expect(signed).not.toHaveProperty('data');
    expect(net.nonce).not.toHaveBeenCalled();
    expect(net.egldNetworkConfig).not.toHaveBeenCalled();
    expect(
      ed25519.verify(hexToBytes(signed.signature), egldBytesForSigning(signed), egldPublicKeyOf(SENDER)!),
    ).toBe(true);
  });

  it('fills a missing gas price and gas limit from the network, and takes the sender from the key', async () => {
    const net = network();
    const { gasPrice: _p, gasLimit: _l, from: _f, ...tx } = TATUM_TX;
    const signed = JSON.parse(await egld.signTransaction(request(tx, net))) as EgldSignedTransaction;
    expect(signed).toMatchObject({ sender: SENDER, gasPrice: CONFIG.minGasPrice, gasLimit: 56_000 });
    expect(net.egldTransactionCost).toHaveBeenCalledWith(
      expect.objectContaining({ sender: SENDER, receiver: RECEIVER, nonce: 42, chainID: 'D' }),
    );
  });

  it('refuses a gas price x gas limit from the network above the cap (0.1 EGLD, or TATUM_KMS_MAX_FEE_EGLD)', async () => {
    const { gasPrice: _p, gasLimit: _l, ...tx } = TATUM_TX;
    const costly = network({ egldTransactionCost: jest.fn(async () => 200_000_000) });
    await expect(egld.signTransaction(request(tx, costly))).rejects.toMatchObject({
      code: 'FEE_CAP_EXCEEDED',
      message: expect.stringContaining(
        '(0.2 EGLD = gas price 1000000000 x gas limit 200000000) exceeds the cap of 0.1 EGLD',
      ),
    });
    const configured = { ...request(tx), maxFee: '0.00001' };
    await expect(egld.signTransaction(configured)).rejects.toMatchObject({
      message: expect.stringContaining('exceeds the cap of 0.00001 EGLD (TATUM_KMS_MAX_FEE_EGLD)'),
    });
    const { gasPrice: _q, ...ownPrice } = TATUM_TX;
    const pricey = network({
      egldNetworkConfig: jest.fn(async () => ({ ...CONFIG, minGasPrice: 10 ** 13 })),
    });
    await expect(egld.signTransaction(request(ownPrice, pricey))).rejects.toMatchObject({
      code: 'FEE_CAP_EXCEEDED',
    });
    // Both set by the transaction: kept, however high.
    const own = { ...TATUM_TX, gasPrice: 10 ** 13, gasLimit: 600_000_000 };
    const signed = JSON.parse(await egld.signTransaction(request(own))) as EgldSignedTransaction;
    expect(signed).toMatchObject({ gasPrice: 10 ** 13, gasLimit: 600_000_000 });
  });

  it("asks MultiversX's gateway at /v3/egld/node/{apiKey} (Tatum's SDK), or the operator's node", async () => {
    const net = network();
    const { gasPrice: _p, gasLimit: _l, ...tx } = TATUM_TX;
    await egld.signTransaction(request(tx, net));
    const fallback = { tatumPath: '/v3/egld/node/{apiKey}' };
    expect(net.calls).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ node: 'EGLD', method: 'GET', path: `address/${SENDER}/nonce`, fallback }),
        expect.objectContaining({ node: 'EGLD', method: 'GET', path: 'network/config', fallback }),
        expect.objectContaining({ node: 'EGLD', method: 'POST', path: 'transaction/cost', fallback }),
      ]),
    );
    expect(net.calls).toHaveLength(3);
    expect(net.calls.every((call) => call.kind === 'rest')).toBe(true);
  });

  it.each([
    ['bad JSON', '{"to":'],
    ['a JSON array', '[]'],
    ['no receiver', { ...TATUM_TX, to: undefined }],
    ['a receiver of another chain', { ...TATUM_TX, to: '0x0000000000000000000000000000000000000000' }],
    ['a negative value', { ...TATUM_TX, value: '-1' }],
    ['a value finer than 10^-18 EGLD', { ...TATUM_TX, value: '0.0000000000000000001' }],
    ['a non-numeric value', { ...TATUM_TX, value: 'all' }],
    ['a fractional gas limit', { ...TATUM_TX, gasLimit: 1.5 }],
    ['a data object', { ...TATUM_TX, data: { a: 1 } }],
    ['a sender that is not the key', { ...TATUM_TX, from: RECEIVER }],
  ])('rejects %s as INVALID_PENDING_TX without quoting the key', async (_, tx) => {
    await expectSafeError(egld.signTransaction(request(tx)), 'INVALID_PENDING_TX', KEY);
  });

  it('rejects a bad key or no key without echoing it, and an unusable network answer', async () => {
    const badKey = `${KEY.slice(0, 62)}zz`;
    await expectSafeError(
      egld.signTransaction(request(TATUM_TX, network(), [badKey])),
      'INVALID_PRIVATE_KEY',
      badKey,
    );
    await expectSafeError(egld.signTransaction(request(TATUM_TX, network(), [])), 'INVALID_PENDING_TX');
    const net = network({ nonce: jest.fn(async () => -1) });
    await expectSafeError(egld.signTransaction(request(TATUM_TX, net)), 'INVALID_NETWORK_ANSWER', KEY);
    const badConfig = network({ egldNetworkConfig: jest.fn(async () => ({ chainId: '', minGasPrice: 1 })) });
    await expectSafeError(egld.signTransaction(request(TATUM_TX, badConfig)), 'INVALID_NETWORK_ANSWER', KEY);
  });
});
