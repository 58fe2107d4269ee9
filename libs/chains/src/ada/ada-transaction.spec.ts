import { KmsError } from '@kms/common';
import { blake2b } from '@noble/hashes/blake2.js';
import { hexToBytes } from '@noble/hashes/utils.js';
import type { ChainNetwork } from '../chain-network.port';
import type { SignRequest } from '../chain-signer.port';
import { type CardanoLib, cardanoLib } from './ada-keys';
import { decodeRosettaEnvelope } from './ada-rosetta';
import { fakeRosetta, type RosettaTampering, tatumOperations } from './ada-rosetta.test-helpers';
import { AdaSigner } from './ada.signer';

const MNEMONIC = 'test walk nut penalty hip pave soap entry language right filter choice';
const TX_A = 'e00f31565ef36d815dbc62b33ec956cb5fe0823aaa48533f2a4368b9d49ce801';
const TX_B = '887dd5221800c65ada2a2081e65a14b5421b30600d4ab112421a44b17ded6ed4';
/** Someone else's testnet address (Tatum's SDK v2 test vector). */
const RECIPIENT = 'addr_test1vzfp68vn36ze5yz7x7evracmasuptjmz99qk4j23gun3pcqhlevq5';
const MAINNET_RECIPIENT = 'addr1vx2fxv2umyhttkxyxp8x0dlpdt3k6cwng5pxj3jhsydzers66hrl8';

describe('ADA signing (Rosetta operations, Tatum SDK v2 / tatum-kms 8)', () => {
  const ada = new AdaSigner();
  let cardano: CardanoLib;
  let wallet: Array<{ address: string; privateKey: string; publicKey: string }>;

  beforeAll(async () => {
    cardano = await cardanoLib();
    wallet = [];
    for (const index of [0, 1]) {
      const privateKey = await ada.derivePrivateKey(MNEMONIC, index, true);
      const address = await ada.deriveAddress({ mnemonic: MNEMONIC }, index, true);
      const publicKey = cardano.PrivateKey.from_hex(privateKey).to_public().to_hex();
      wallet.push({ address, privateKey, publicKey });
    }
  });

  /** One input of 10 ADA at wallet address 0, 1 ADA to RECIPIENT, 8.8 ADA change: fee 0.2 ADA. */
  const transfer = () =>
    tatumOperations(
      [{ address: wallet[0].address, txHash: TX_A, index: 0, lovelace: 10_000_000n }],
      [
        { address: RECIPIENT, lovelace: 1_000_000n },
        { address: wallet[0].address, lovelace: 8_800_000n },
      ],
    );

  const request = (
    operations: unknown,
    network: ChainNetwork,
    keys = [wallet[0].privateKey],
  ): SignRequest => ({
    serializedTransaction: typeof operations === 'string' ? operations : JSON.stringify(operations),
    keys,
    withdrawal: false,
    testnet: true,
    network,
  });

  /** The transaction inside a txData, with its body hash and vkey witnesses. */
  function decode(txData: string) {
    const transaction = cardano.FixedTransaction.from_bytes(decodeRosettaEnvelope(txData, 'txData'));
    const bodyHash = blake2b(transaction.raw_body(), { dkLen: 32 });
    const vkeys = transaction.witness_set().vkeys()!;
    const witnesses = Array.from({ length: vkeys.len() }, (_, i) => vkeys.get(i));
    return { transaction, bodyHash, witnesses };
  }

  it('signs a transfer of one input and two outputs: the body is unchanged and the witness verifies', async () => {
    const node = fakeRosetta(cardano);
    const operations = transfer();
    const txData = await ada.signTransaction(request(operations, node));

    const { transaction, bodyHash, witnesses } = decode(txData);
    expect(Buffer.from(transaction.raw_body())).toEqual(Buffer.from(node.bodyBytes!));
    const body = transaction.body();
    expect(body.fee().to_str()).toBe('200000');
    expect(body.ttl()).toBe(50_001_000);
    expect(body.outputs().len()).toBe(2);
    expect(body.outputs().get(0).address().to_bech32()).toBe(RECIPIENT);
    expect(body.inputs().get(0).transaction_id().to_hex()).toBe(TX_A);
    expect(witnesses).toHaveLength(1);
    const [witness] = witnesses;
    expect(witness.vkey().public_key().to_hex()).toBe(wallet[0].publicKey);
    expect(witness.vkey().public_key().verify(bodyHash, witness.signature())).toBe(true);
    const tampered = witness.signature().to_bytes();
    tampered[10] ^= 0x01;
    const forged = cardano.Ed25519Signature.from_bytes(tampered);
    expect(witness.vkey().public_key().verify(bodyHash, forged)).toBe(false);

    expect(node.calls.map((call) => [call.node, call.path])).toEqual([
      ['cardano-preprod', 'construction/preprocess'],
      ['cardano-preprod', 'construction/metadata'],
      ['cardano-preprod', 'construction/payloads'],
      ['cardano-preprod', 'construction/combine'],
    ]);
    for (const call of node.calls) {
      expect(call.body.network_identifier).toEqual({ blockchain: 'cardano', network: 'preprod' });
    }
    expect(node.calls[0].body).toMatchObject({ operations, metadata: { relative_ttl: 1000 } });
    expect(node.calls[2].body.operations).toEqual(operations);
    expect(node.calls[3].body.signatures).toEqual([
      {
        signing_payload: {
          account_identifier: { address: wallet[0].address },
          hex_bytes: Buffer.from(bodyHash).toString('hex'),
          signature_type: 'ed25519',
        },
        public_key: { hex_bytes: wallet[0].publicKey, curve_type: 'edwards25519' },
        signature_type: 'ed25519',
        hex_bytes: witness.signature().to_hex(),
      },
    ]);
  });

  it('uses the mainnet node and network identifier on mainnet', async () => {
    const node = fakeRosetta(cardano);
    const mainnetAddress = await ada.deriveAddress({ mnemonic: MNEMONIC }, 0, false);
    const operations = tatumOperations(
      [{ address: mainnetAddress, txHash: TX_A, index: 3, lovelace: 5_000_000n }],
      [{ address: MAINNET_RECIPIENT, lovelace: 4_800_000n }],
    );
    const txData = await ada.signTransaction({ ...request(operations, node), testnet: false });
    expect(decode(txData).witnesses).toHaveLength(1);
    expect(new Set(node.calls.map((call) => call.node))).toEqual(new Set(['cardano-mainnet']));
    expect(node.calls[0].body.network_identifier).toEqual({ blockchain: 'cardano', network: 'mainnet' });
  });

  it('signs inputs of two addresses with their two keys, in any order, ignoring a key no input needs', async () => {
    const node = fakeRosetta(cardano);
    const operations = tatumOperations(
      [
        { address: wallet[0].address, txHash: TX_A, index: 0, lovelace: 3_000_000n },
        { address: wallet[1].address, txHash: TX_B, index: 2, lovelace: 4_000_000n },
        { address: wallet[1].address, txHash: TX_B, index: 5, lovelace: 1_000_000n },
      ],
      [{ address: RECIPIENT, lovelace: 7_800_000n }],
    );
    const unrelated = (await ada.generateKeyPair(true)).privateKey;
    const keys = [wallet[1].privateKey, unrelated, wallet[0].privateKey];
    const { bodyHash, witnesses } = decode(await ada.signTransaction(request(operations, node, keys)));
    expect(witnesses.map((w) => w.vkey().public_key().to_hex()).sort()).toEqual(
      [wallet[0].publicKey, wallet[1].publicKey].sort(),
    );
    for (const witness of witnesses) {
      expect(witness.vkey().public_key().verify(bodyHash, witness.signature())).toBe(true);
    }
  });

  const attacker = 'addr_test1vpg2fdtp5m5ak283ukd97g7ah39p32mv065jpf5hfkr42fc3daudl';
  it.each<[string, RosettaTampering]>([
    [
      'pays another address',
      {
        body: (body) => {
          const outputs = cardano.TransactionOutputs.new();
          const amount = body.outputs().get(0).amount();
          outputs.add(cardano.TransactionOutput.new(cardano.Address.from_bech32(attacker), amount));
          outputs.add(body.outputs().get(1));
          return cardano.TransactionBody.new(body.inputs(), outputs, body.fee(), body.ttl());
        },
      },
    ],
    [
      'raises the fee',
      {
        body: (body) =>
          cardano.TransactionBody.new(
            body.inputs(),
            body.outputs(),
            cardano.BigNum.from_str('1200000'),
            body.ttl(),
          ),
      },
    ],
    [
      'adds an input',
      {
        body: (body) => {
          const inputs = body.inputs();
          inputs.add(cardano.TransactionInput.new(cardano.TransactionHash.from_hex(TX_B), 0));
          return cardano.TransactionBody.new(inputs, body.outputs(), body.fee(), body.ttl());
        },
      },
    ],
    ['adds a validity start', { body: (body) => void body.set_validity_start_interval(5) }],
    [
      'adds an auxiliary data hash',
      {
        body: (body) =>
          void body.set_auxiliary_data_hash(cardano.AuxiliaryDataHash.from_bytes(new Uint8Array(32))),
      },
    ],
    ['drops the ttl', { body: (body) => void body.remove_ttl() }],
    ['asks to sign another hash', { payloads: (payloads) => (payloads[0].hex_bytes = 'ab'.repeat(32)) }],
    [
      'asks to sign for another address',
      {
        payloads: (payloads) => (payloads[0].account_identifier = { address: RECIPIENT }),
      },
    ],
    ['asks for no signature', { payloads: (payloads) => payloads.splice(0) }],
  ])('signs nothing when the node builds a transaction that %s', async (_case, tampering) => {
    const node = fakeRosetta(cardano, tampering);
    const error = await ada.signTransaction(request(transfer(), node)).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'INVALID_NETWORK_ANSWER' });
    expect(node.calls.map((call) => call.path)).not.toContain('construction/combine');
  });

  it.each<[string, (transaction: Uint8Array) => Uint8Array]>([
    [
      'a signature that does not verify',
      (tx) => {
        const fixed = cardano.FixedTransaction.from_bytes(tx);
        const witness = fixed.witness_set().vkeys()!.get(0);
        const signature = witness.signature().to_bytes();
        signature[0] ^= 0x80;
        const vkeys = cardano.Vkeywitnesses.new();
        vkeys.add(cardano.Vkeywitness.new(witness.vkey(), cardano.Ed25519Signature.from_bytes(signature)));
        const set = cardano.TransactionWitnessSet.new();
        set.set_vkeys(vkeys);
        return cardano.FixedTransaction.new(fixed.raw_body(), set.to_bytes(), true).to_bytes();
      },
    ],
    [
      'no witness',
      (tx) => {
        const fixed = cardano.FixedTransaction.from_bytes(tx);
        return cardano.FixedTransaction.new(
          fixed.raw_body(),
          cardano.TransactionWitnessSet.new().to_bytes(),
          true,
        ).to_bytes();
      },
    ],
    [
      'another body',
      (tx) => {
        const fixed = cardano.FixedTransaction.from_bytes(tx);
        const body = fixed.body();
        body.set_ttl(cardano.BigNum.from_str('1'));
        return cardano.FixedTransaction.new(body.to_bytes(), fixed.raw_witness_set(), true).to_bytes();
      },
    ],
    ['no transaction', () => hexToBytes('deadbeef')],
  ])('rejects a combined transaction with %s', async (_case, signed) => {
    const node = fakeRosetta(cardano, { signed });
    await expect(ada.signTransaction(request(transfer(), node))).rejects.toMatchObject({
      code: 'INVALID_NETWORK_ANSWER',
    });
  });

  it('rejects node answers that are not Rosetta envelopes', async () => {
    const node = fakeRosetta(cardano);
    const original = node.adaRosetta.bind(node);
    node.adaRosetta = async (n, path, body) => {
      const answer = (await original(n, path, body)) as Record<string, unknown>;
      return path === 'construction/payloads' ? { ...answer, unsigned_transaction: 'a4008182' } : answer;
    };
    await expect(ada.signTransaction(request(transfer(), node))).rejects.toMatchObject({
      code: 'INVALID_NETWORK_ANSWER',
    });
  });

  type Operation = Record<string, unknown> & { amount: Record<string, unknown> };
  const base = () => transfer() as Operation[];
  it.each<[string, () => unknown]>([
    ['not JSON', () => '{"operations": ['],
    ['a JSON object', () => ({ operations: base() })],
    ['an empty array', () => []],
    ['a staking operation', () => [...base(), { ...base()[1], type: 'stakeDelegation' }]],
    [
      'an amount in another currency',
      () =>
        base().map((op) => ({ ...op, amount: { ...op.amount, currency: { symbol: 'ADA', decimals: 0 } } })),
    ],
    [
      'an input with a positive amount',
      () => base().map((op, i) => (i === 0 ? { ...op, amount: { ...op.amount, value: '10000000' } } : op)),
    ],
    [
      'an output with a coin change',
      () => base().map((op, i) => (i === 1 ? { ...op, coin_change: base()[0].coin_change } : op)),
    ],
    ['a UTXO spent twice', () => [base()[0], ...base()]],
    [
      'outputs above the inputs',
      () => base().map((op, i) => (i === 2 ? { ...op, amount: { ...op.amount, value: '9000001' } } : op)),
    ],
    [
      'a malformed coin identifier',
      () =>
        base().map((op, i) =>
          i === 0 ? { ...op, coin_change: { coin_identifier: { identifier: TX_A } } } : op,
        ),
    ],
    [
      'token metadata',
      () => base().map((op, i) => (i === 1 ? { ...op, metadata: { tokenBundle: [] } } : op)),
    ],
    [
      'a mainnet output on testnet',
      () => base().map((op, i) => (i === 1 ? { ...op, account: { address: MAINNET_RECIPIENT } } : op)),
    ],
    [
      'an output to a reward address',
      () =>
        base().map((op, i) =>
          i === 1
            ? {
                ...op,
                account: { address: 'stake_test1uqehkck0lajq8gr28t9uxnuvgcqrc6070x3k9r8048z8y5gssrtvn' },
              }
            : op,
        ),
    ],
    [
      'an input at a Byron address',
      () =>
        base().map((op, i) =>
          i === 0
            ? { ...op, account: { address: 'Ae2tdPwUPEZFRbyhz3cpfC2CumGzNkFBN2L42rcUc2yjQpEkxDbkPodpMAi' } }
            : op,
        ),
    ],
    [
      'an input at an address of no key given',
      () => base().map((op, i) => (i === 0 ? { ...op, account: { address: RECIPIENT } } : op)),
    ],
  ])('rejects a pending transaction with %s, before asking the node', async (_case, operations) => {
    const node = fakeRosetta(cardano);
    await expect(ada.signTransaction(request(operations(), node))).rejects.toMatchObject({
      code: 'INVALID_PENDING_TX',
    });
    expect(node.calls).toEqual([]);
  });

  it('needs a key, and rejects a malformed key without echoing it', async () => {
    const node = fakeRosetta(cardano);
    await expect(ada.signTransaction(request(transfer(), node, []))).rejects.toMatchObject({
      code: 'INVALID_PENDING_TX',
    });
    const bad = `${wallet[0].privateKey.slice(0, 100)}`;
    const error = (await ada
      .signTransaction(request(transfer(), node, [bad]))
      .catch((e: unknown) => e)) as KmsError;
    expect(error).toMatchObject({ code: 'INVALID_PRIVATE_KEY' });
    expect(error.message).not.toContain(bad.slice(0, 16));
    expect(node.calls).toEqual([]);
  });

  it('rejects a Rosetta node that answers an error status', async () => {
    const failing = {
      tatum: () => Promise.reject(new Error('no')),
      node: async () => ({ status: 500, body: { code: 500, message: 'down' } }),
    } as unknown as ChainNetwork;
    await expect(ada.signTransaction(request(transfer(), failing))).rejects.toMatchObject({
      code: 'INVALID_NETWORK_ANSWER',
    });
  });
});
