import { KmsError } from '@kms/common';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { sha3_256 } from '@noble/hashes/sha3.js';
import { encodeTransactionEnvelope, encodeTransactionPayload } from '@onflow/sdk';
import vectors from '@kms/test-fixtures/derivation.json';
import type { ChainNetwork } from '../chain-network.port';
import type { ChainSigner, SignRequest } from '../chain-signer.port';
import type { FlowRestTransaction } from './flow-pending-tx';
import { FlowSigner } from './flow.signer';

const MNEMONIC = vectors.mnemonic;
const NETWORKS = [
  ['mainnet', false],
  ['testnet', true],
] as const;

interface FlowVectors {
  generateWallet: { result: { xpub: string } };
  generateAddressFromXPub: Record<string, string>;
  generatePrivateKeyFromMnemonic: Record<string, string>;
}
const FLOW = vectors.chains.FLOW as unknown as Record<'mainnet' | 'testnet', FlowVectors>;
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

describe('FlowSigner wallets', () => {
  const flow: ChainSigner = new FlowSigner();

  describe.each(NETWORKS)('%s vectors (Tatum SDK 1.37.68)', (network, testnet) => {
    const v = FLOW[network];

    it('xpub of the mnemonic', async () => {
      expect(flow.walletModel).toBe('hd');
      expect(await flow.walletFromMnemonic(MNEMONIC, testnet)).toEqual({
        mnemonic: MNEMONIC,
        xpub: v.generateWallet.result.xpub,
      });
    });

    it.each(indexes(v.generateAddressFromXPub))(
      'index %s: public-key "address" and private key',
      async (i) => {
        const index = Number(i);
        const publicKey = v.generateAddressFromXPub[i];
        expect(publicKey).toMatch(/^[0-9a-f]{128}$/);
        expect(await flow.deriveAddress({ xpub: v.generateWallet.result.xpub }, index, testnet)).toBe(
          publicKey,
        );
        expect(await flow.deriveAddress({ mnemonic: MNEMONIC }, index, testnet)).toBe(publicKey);
        const privateKey = await flow.derivePrivateKey(MNEMONIC, index, testnet);
        // The SDK drops leading zeros; we always write 64 digits.
        expect(privateKey).toBe(v.generatePrivateKeyFromMnemonic[i].padStart(64, '0'));
        expect(await flow.importPrivateKey(v.generatePrivateKeyFromMnemonic[i], testnet)).toEqual({
          address: publicKey,
          privateKey,
        });
      },
    );
  });

  it("imports a key as Tatum's SDK wrote it, without its leading zeros", async () => {
    let index = 0;
    let key = await flow.derivePrivateKey(MNEMONIC, index, false);
    while (!key.startsWith('0')) key = await flow.derivePrivateKey(MNEMONIC, ++index, false);
    const tatumStyle = key.replace(/^0+/, '');
    expect(tatumStyle.length).toBeLessThan(64);
    expect(await flow.importPrivateKey(tatumStyle, false)).toEqual({
      address: await flow.deriveAddress({ mnemonic: MNEMONIC }, index, false),
      privateKey: key,
    });
  });

  it.each([false, true])(
    'testnet=%p: importPrivateKey(generateKeyPair().privateKey) round-trips',
    async (t) => {
      const pair = await flow.generateKeyPair(t);
      expect(pair.privateKey).toMatch(/^[0-9a-f]{64}$/);
      expect(pair.address).toMatch(/^[0-9a-f]{128}$/);
      expect(await flow.importPrivateKey(pair.privateKey, t)).toEqual(pair);
      expect(await flow.importPrivateKey(`0x${pair.privateKey.toUpperCase()}`, t)).toEqual(pair);
    },
  );

  it.each([
    ['55 hex digits', '1'.repeat(55)],
    ['65 hex digits', '2'.repeat(65)],
    ['non-hex', `${'3'.repeat(62)}zz`],
    ['zero', '0'.repeat(64)],
    ['the curve order', 'fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141'],
    ['a WIF key', 'KwDiBf89QgGbjEhKnhXJuH7LrciVrZi3qYjgd9M7rFU73sVHnoWn'],
  ])('rejects %s without echoing it', async (_, key) => {
    await expectSafeError(flow.importPrivateKey(key, false), 'INVALID_PRIVATE_KEY', key);
  });
});

describe('FlowSigner.signTransaction', () => {
  const flow = new FlowSigner();
  const AUTHORIZER = 'f8d6e0586b0a20c7';
  const PAYER = '01cf0e2f2f715450';
  const CADENCE = 'transaction(amount: UFix64) { prepare(signer: AuthAccount) { log(amount) } }';
  const ARGUMENT = { type: 'UFix64', value: '1.50000000' };
  const REF_BLOCK = 'a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90';
  const FLOW_V = FLOW.mainnet;
  const AUTHORIZER_KEY = FLOW_V.generatePrivateKeyFromMnemonic['0'];
  const PAYER_KEY = FLOW_V.generatePrivateKeyFromMnemonic['1'];
  const pub = (i: string) => Buffer.from(`04${FLOW_V.generateAddressFromXPub[i]}`, 'hex');

  const UNSIGNED: FlowRestTransaction = {
    script: Buffer.from(CADENCE).toString('base64'),
    arguments: [Buffer.from(JSON.stringify(ARGUMENT)).toString('base64')],
    reference_block_id: REF_BLOCK,
    gas_limit: '9999',
    payer: PAYER,
    proposal_key: { address: `0x${AUTHORIZER}`, key_index: '0', sequence_number: '7' },
    authorizers: [AUTHORIZER],
    payload_signatures: [],
    envelope_signatures: [],
  };
  /** The same transaction as @onflow/sdk's encoders take it. */
  const VOUCHER = {
    cadence: CADENCE,
    arguments: [ARGUMENT],
    refBlock: REF_BLOCK,
    computeLimit: 9999,
    proposalKey: { address: AUTHORIZER, keyId: 0, sequenceNum: 7 },
    payer: PAYER,
    authorizers: [AUTHORIZER],
  };
  const unusedNetwork: ChainNetwork = {
    tatum: async () => {
      throw new Error('FLOW signing asks the network nothing');
    },
    node: async () => {
      throw new Error('FLOW signing asks the network nothing');
    },
  };

  function request(pending: unknown, key: string): SignRequest {
    return {
      serializedTransaction: typeof pending === 'string' ? pending : JSON.stringify(pending),
      keys: [key],
      withdrawal: false,
      testnet: false,
      network: unusedNetwork,
    };
  }

  const signAsAuthorizer = async (hashAlgorithm?: string) =>
    JSON.parse(
      await flow.signTransaction(
        request(
          {
            transaction: UNSIGNED,
            signer: { address: AUTHORIZER, key_index: 0, hash_algorithm: hashAlgorithm },
          },
          AUTHORIZER_KEY,
        ),
      ),
    ) as FlowRestTransaction;

  it("signs the payload as proposer/authorizer; verifies over @onflow/sdk's encoding (SHA3-256)", async () => {
    const signed = await signAsAuthorizer();
    expect(signed).toEqual({
      ...UNSIGNED,
      proposal_key: { ...UNSIGNED.proposal_key, address: AUTHORIZER },
      payload_signatures: [{ address: AUTHORIZER, key_index: '0', signature: expect.any(String) }],
    });
    const signature = Buffer.from(signed.payload_signatures[0].signature, 'base64');
    expect(signature).toHaveLength(64);
    const message = Buffer.from(encodeTransactionPayload(VOUCHER as never), 'hex');
    expect(message.subarray(0, 32).toString('utf8').replace(/\0+$/, '')).toBe('FLOW-V0.0-transaction');
    expect(secp256k1.verify(signature, sha3_256(message), pub('0'), { prehash: false })).toBe(true);
    expect(secp256k1.verify(signature, sha256(message), pub('0'), { prehash: false })).toBe(false);

    const tampered = Buffer.from(signature);
    tampered[5] ^= 1;
    expect(secp256k1.verify(tampered, sha3_256(message), pub('0'), { prehash: false })).toBe(false);
    const otherSequence = Buffer.from(
      encodeTransactionPayload({
        ...VOUCHER,
        proposalKey: { ...VOUCHER.proposalKey, sequenceNum: 8 },
      } as never),
      'hex',
    );
    expect(secp256k1.verify(signature, sha3_256(otherSequence), pub('0'), { prehash: false })).toBe(false);
  });

  it('signs with SHA2-256 when the account key uses it', async () => {
    const signed = await signAsAuthorizer('SHA2_256');
    const signature = Buffer.from(signed.payload_signatures[0].signature, 'base64');
    const message = Buffer.from(encodeTransactionPayload(VOUCHER as never), 'hex');
    expect(secp256k1.verify(signature, sha256(message), pub('0'), { prehash: false })).toBe(true);
  });

  it('signs the envelope as payer, over the payload and its signatures', async () => {
    const partlySigned = await signAsAuthorizer();
    const signed = JSON.parse(
      await flow.signTransaction(
        request({ transaction: partlySigned, signer: { address: PAYER } }, PAYER_KEY),
      ),
    ) as FlowRestTransaction;
    expect(signed.payload_signatures).toEqual(partlySigned.payload_signatures);
    expect(signed.envelope_signatures).toEqual([
      { address: PAYER, key_index: '0', signature: expect.any(String) },
    ]);
    const payloadSig = Buffer.from(partlySigned.payload_signatures[0].signature, 'base64').toString('hex');
    const envelope = Buffer.from(
      encodeTransactionEnvelope({
        ...VOUCHER,
        payloadSigs: [{ address: AUTHORIZER, keyId: 0, sig: payloadSig }],
      } as never),
      'hex',
    );
    const signature = Buffer.from(signed.envelope_signatures[0].signature, 'base64');
    expect(secp256k1.verify(signature, sha3_256(envelope), pub('1'), { prehash: false })).toBe(true);
    expect(secp256k1.verify(signature, sha3_256(envelope), pub('0'), { prehash: false })).toBe(false);
  });

  it('refuses to sign the envelope before the authorizer has signed the payload', async () => {
    const error = await expectSafeError(
      flow.signTransaction(request({ transaction: UNSIGNED, signer: { address: PAYER } }, PAYER_KEY)),
      'INVALID_PENDING_TX',
      PAYER_KEY,
    );
    expect(error.message).toContain('payer signs last');
  });

  it.each([
    ['bad JSON', '{"transaction":'],
    ['no signer', { transaction: UNSIGNED }],
    ['a signer that is not part of it', { transaction: UNSIGNED, signer: { address: '0000000000000001' } }],
    [
      'a script that is not base64',
      { transaction: { ...UNSIGNED, script: 'not base64!' }, signer: { address: PAYER } },
    ],
    [
      'a short reference block id',
      { transaction: { ...UNSIGNED, reference_block_id: 'abcd' }, signer: { address: AUTHORIZER } },
    ],
    [
      'a negative gas limit',
      { transaction: { ...UNSIGNED, gas_limit: '-1' }, signer: { address: AUTHORIZER } },
    ],
    [
      'an unknown hash algorithm',
      { transaction: UNSIGNED, signer: { address: AUTHORIZER, hash_algorithm: 'KECCAK_256' } },
    ],
    [
      'a payload signature by a stranger',
      {
        transaction: {
          ...UNSIGNED,
          payload_signatures: [
            { address: '0000000000000009', key_index: '0', signature: Buffer.alloc(64).toString('base64') },
          ],
        },
        signer: { address: AUTHORIZER },
      },
    ],
  ])('rejects %s as INVALID_PENDING_TX without quoting the key', async (_, pending) => {
    await expectSafeError(
      flow.signTransaction(request(pending, AUTHORIZER_KEY)),
      'INVALID_PENDING_TX',
      AUTHORIZER_KEY,
    );
  });

  it('rejects a malformed key without echoing it', async () => {
    const badKey = `${AUTHORIZER_KEY.slice(0, 60)}zzzz`;
    await expectSafeError(
      flow.signTransaction(request({ transaction: UNSIGNED, signer: { address: AUTHORIZER } }, badKey)),
      'INVALID_PRIVATE_KEY',
      badKey,
    );
  });
});
