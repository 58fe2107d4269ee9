import type * as Cardano from '@emurgo/cardano-serialization-lib-nodejs';
import { blake2b } from '@noble/hashes/blake2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import type { ChainNetwork, NodeRestRequest } from '../chain-network.port';
import type { CardanoLib } from './ada-keys';
import { type AdaRosettaNode, type AdaRosettaPath, decodeRosettaEnvelope } from './ada-rosetta';

/** Rosetta operations as Tatum's SDK v2 writes them for a KMS transfer (prepareSignedTransaction). */
export function tatumOperations(
  inputs: Array<{ address: string; txHash: string; index: number; lovelace: bigint }>,
  outputs: Array<{ address: string; lovelace: bigint }>,
): unknown[] {
  const currency = { symbol: 'ADA', decimals: 6 };
  return [
    ...inputs.map((input, i) => ({
      operation_identifier: { index: i, network_index: input.index },
      related_operations: [],
      type: 'input',
      status: 'success',
      account: { address: input.address, metadata: {} },
      amount: { value: `${-input.lovelace}`, currency },
      coin_change: {
        coin_identifier: { identifier: `${input.txHash}:${input.index}` },
        coin_action: 'coin_created',
      },
      metadata: {},
    })),
    ...outputs.map((output, i) => ({
      operation_identifier: { index: inputs.length + i, network_index: i },
      related_operations: [],
      type: 'output',
      status: 'success',
      account: { address: output.address, metadata: {} },
      amount: { value: `${output.lovelace}`, currency, metadata: {} },
      metadata: {},
    })),
  ];
}

/** cardano-rosetta's encodeExtraData: hex of the CBOR array [<hex text>, <extra data: empty array>]. */
export function rosettaEnvelope(bytes: Uint8Array): string {
  const text = Buffer.from(bytesToHex(bytes), 'latin1');
  const header =
    text.length < 24
      ? [0x60 | text.length]
      : text.length < 0x100
        ? [0x78, text.length]
        : [0x79, text.length >> 8, text.length & 0xff];
  return bytesToHex(Uint8Array.from([0x82, ...header, ...text, 0x80]));
}

/** The fields of the Rosetta requests the fake node reads (each path reads its own). */
interface RosettaRequest {
  metadata: { relative_ttl: number; ttl: string };
  options: { relative_ttl: number };
  operations: Array<{
    type: string;
    account: { address: string };
    amount: { value: string };
    coin_change?: { coin_identifier: { identifier: string } };
  }>;
  unsigned_transaction: string;
  signatures: Array<{ public_key: { hex_bytes: string }; hex_bytes: string }>;
}

/** Ways to make the fake node misbehave. */
export interface RosettaTampering {
  /** Changes (or replaces) the body built from the operations, before it is hashed and returned. */
  body?: (body: Cardano.TransactionBody) => Cardano.TransactionBody | void;
  payloads?: (payloads: Array<Record<string, unknown>>) => void;
  /** Changes the signed transaction bytes before they are wrapped. */
  signed?: (transaction: Uint8Array) => Uint8Array;
}

export interface FakeRosetta extends ChainNetwork {
  /** Answers one Rosetta call (replace it to tamper with answers); `node` routes ChainNetwork calls here. */
  adaRosetta(node: AdaRosettaNode, path: AdaRosettaPath, body: object): Promise<unknown>;
  calls: Array<{ node: AdaRosettaNode; path: AdaRosettaPath; body: Record<string, unknown> }>;
  /** The body bytes the node built, once payloads was called. */
  bodyBytes?: Uint8Array;
}

/**
 * A Cardano Rosetta node for tests, building transactions the way cardano-rosetta does (inputs,
 * outputs, fee = inputs - outputs, ttl = tip + relative_ttl; payloads per input address; combine adds
 * the vkey witnesses).
 */
export function fakeRosetta(cardano: CardanoLib, tampering: RosettaTampering = {}): FakeRosetta {
  const tip = 50_000_000;
  const network: FakeRosetta = {
    calls: [],
    tatum: () => Promise.reject(new Error('ADA signing calls no Tatum API endpoint')),
    node: (async (node: string, request: NodeRestRequest) => {
      if (request.method !== 'POST') throw new Error(`unexpected ${request.method} ${request.path}`);
      const expected = { tatumPath: `/v3/blockchain/node/${node}/{apiKey}` };
      if (JSON.stringify(request.fallback) !== JSON.stringify(expected))
        throw new Error('unexpected fallback');
      const body = await network.adaRosetta(
        node as AdaRosettaNode,
        request.path as AdaRosettaPath,
        request.body as object,
      );
      return { status: 200, body };
    }) as ChainNetwork['node'],
    async adaRosetta(node, path, body) {
      const copy = JSON.parse(JSON.stringify(body)) as Record<string, unknown>;
      network.calls.push({ node, path, body: copy });
      const request = copy as unknown as RosettaRequest;
      switch (path) {
        case 'construction/preprocess':
          return { options: { relative_ttl: request.metadata.relative_ttl, transaction_size: 300 } };
        case 'construction/metadata':
          return { metadata: { ttl: `${tip + request.options.relative_ttl}` }, suggested_fee: [] };
        case 'construction/payloads':
          return payloads(request.operations, Number(request.metadata.ttl));
        case 'construction/combine':
          return combine(request.unsigned_transaction, request.signatures);
      }
    },
  };

  function payloads(operations: RosettaRequest['operations'], ttl: number) {
    const inputs = cardano.TransactionInputs.new();
    const outputs = cardano.TransactionOutputs.new();
    let fee = 0n;
    const addresses = new Set<string>();
    for (const operation of operations) {
      const value = BigInt(operation.amount.value);
      fee += -value;
      if (operation.type === 'input') {
        const [hash, index] = operation.coin_change!.coin_identifier.identifier.split(':');
        inputs.add(cardano.TransactionInput.new(cardano.TransactionHash.from_hex(hash), Number(index)));
        addresses.add(operation.account.address);
      } else {
        const address = cardano.Address.from_bech32(operation.account.address);
        outputs.add(
          cardano.TransactionOutput.new(address, cardano.Value.new(cardano.BigNum.from_str(`${value}`))),
        );
      }
    }
    const built = cardano.TransactionBody.new(inputs, outputs, cardano.BigNum.from_str(`${fee}`), ttl);
    const bytes = (tampering.body?.(built) ?? built).to_bytes();
    network.bodyBytes = bytes;
    const hash = bytesToHex(blake2b(bytes, { dkLen: 32 }));
    const list = [...addresses].map((address) => ({
      account_identifier: { address },
      hex_bytes: hash,
      signature_type: 'ed25519',
    }));
    tampering.payloads?.(list);
    return { unsigned_transaction: rosettaEnvelope(bytes), payloads: list };
  }

  function combine(unsigned: string, signatures: RosettaRequest['signatures']) {
    const body = decodeRosettaEnvelope(unsigned, 'unsigned transaction');
    const vkeys = cardano.Vkeywitnesses.new();
    for (const signature of signatures) {
      vkeys.add(
        cardano.Vkeywitness.new(
          cardano.Vkey.new(cardano.PublicKey.from_hex(signature.public_key.hex_bytes)),
          cardano.Ed25519Signature.from_hex(signature.hex_bytes),
        ),
      );
    }
    const witnesses = cardano.TransactionWitnessSet.new();
    witnesses.set_vkeys(vkeys);
    const transaction = cardano.FixedTransaction.new(body, witnesses.to_bytes(), true).to_bytes();
    return { signed_transaction: rosettaEnvelope(tampering.signed?.(transaction) ?? transaction) };
  }

  return network;
}
