import { blake2b } from '@noble/hashes/blake2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import type { SignRequest } from '../chain-signer.port';
import { InvalidTransactionError } from '../chains.errors';
import { InvalidNetworkAnswerError } from '../chains.errors';
import { checkSignedTransaction, checkTransferBody } from './ada-body';
import { cardanoLib, type CardanoLib, parseAdaPrivateKey } from './ada-keys';
import { type AdaTransfer, parseAdaTransfer } from './ada-operations';
import { adaRosettaSession, decodeRosettaEnvelope } from './ada-rosetta';

/** How many slots the transaction stays valid, as Tatum's SDK asks (`relative_ttl`). */
const RELATIVE_TTL = 1000;

interface AdaKey {
  keyHash: string;
  publicKey: string;
  sign(message: Uint8Array): string;
  free(): void;
}

/**
 * Signs an ADA pending transaction (see AdaTransfer) as tatum-kms 8 does through Tatum's SDK v2
 * (`signKmsTransaction` of `@tatumio/cardano`), with the checks it lacks. Through the Cardano Rosetta
 * node of `request.network` (AdaSigningNetwork): `construction/preprocess` (with relative_ttl 1000),
 * `construction/metadata` (ttl), `construction/payloads` (the unsigned body and, per input address,
 * its body hash to sign). The body is then checked against the operations (checkTransferBody) and each
 * payload hash against the body, and only then is each hash signed (ed25519 with the extended key
 * whose public key hash is the payment key of the payload's address); `construction/combine` builds
 * the signed transaction, which is checked too (checkSignedTransaction). Returns Rosetta's
 * `signed_transaction`, the txData Tatum's /v3/ada/broadcast takes.
 *
 * `request.keys`: the deduplicated keys of the inputs (128-hex extended keys); a key no input needs
 * is ignored, an input address without a key is an error. Throws InvalidTransactionError (before any
 * network call) for bad operations or missing keys, InvalidPrivateKeyError for a bad key,
 * AdaRosettaUnavailableError without a Rosetta node, InvalidNetworkAnswerError when a node answer does
 * not match the pending transaction (nothing is signed then, or the result is discarded).
 */
export async function signAdaTransaction(request: SignRequest): Promise<string> {
  const cardano = await cardanoLib();
  const transfer = parseAdaTransfer(cardano, request.serializedTransaction, request.testnet);
  const rosetta = adaRosettaSession(request.network, request.testnet);
  const keys: AdaKey[] = [];
  try {
    for (const key of request.keys) keys.push(adaKey(cardano, key));
    const keyOf = (keyHash: string) => keys.find((key) => key.keyHash === keyHash);
    if (keys.length === 0) throw new InvalidTransactionError('ADA', 'no private key was resolved for it');
    const unsigned = transfer.inputs.find((input) => keyOf(input.paymentKeyHash) === undefined);
    if (unsigned !== undefined) {
      throw new InvalidTransactionError(
        'ADA',
        `no key of its wallets signs for input address ${unsigned.address}`,
      );
    }

    const { networkIdentifier: network_identifier } = rosetta;
    const { operations } = transfer;
    const { options } = await rosetta.call('construction/preprocess', {
      network_identifier,
      operations,
      metadata: { relative_ttl: RELATIVE_TTL },
    });
    if (!isRecord(options)) throw new InvalidNetworkAnswerError('ADA', 'preprocess options');
    const { metadata } = await rosetta.call('construction/metadata', { network_identifier, options });
    if (!isRecord(metadata)) throw new InvalidNetworkAnswerError('ADA', 'construction metadata');
    const { unsigned_transaction, payloads } = await rosetta.call('construction/payloads', {
      network_identifier,
      operations,
      metadata,
    });

    const bodyBytes = decodeRosettaEnvelope(unsigned_transaction, 'unsigned transaction');
    checkTransferBody(cardano, bodyBytes, transfer, request.testnet);
    const bodyHash = blake2b(bodyBytes, { dkLen: 32 });
    const signatures = checkPayloads(payloads, transfer, bodyHash).map(({ payload, keyHash }) => {
      const key = keyOf(keyHash)!;
      return {
        signing_payload: payload,
        public_key: { hex_bytes: key.publicKey, curve_type: 'edwards25519' },
        signature_type: 'ed25519',
        hex_bytes: key.sign(bodyHash),
      };
    });

    const { signed_transaction } = await rosetta.call('construction/combine', {
      network_identifier,
      unsigned_transaction,
      signatures,
    });
    const transactionBytes = decodeRosettaEnvelope(signed_transaction, 'signed transaction');
    checkSignedTransaction(
      cardano,
      transactionBytes,
      bodyBytes,
      bodyHash,
      signatures.map((s) => ({ publicKey: s.public_key.hex_bytes, signature: s.hex_bytes })),
    );
    return signed_transaction as string;
  } finally {
    for (const key of keys) key.free();
  }
}

/**
 * The signing payloads of a `construction/payloads` answer, each with the payment key hash of its
 * address: one per input address, every one asking to sign `bodyHash`. InvalidNetworkAnswerError
 * otherwise.
 */
function checkPayloads(
  payloads: unknown,
  transfer: AdaTransfer,
  bodyHash: Uint8Array,
): Array<{ payload: Record<string, unknown>; keyHash: string }> {
  const hash = bytesToHex(bodyHash);
  const byAddress = new Map(transfer.inputs.map((input) => [input.address, input.paymentKeyHash]));
  if (!Array.isArray(payloads) || payloads.length !== byAddress.size) {
    throw new InvalidNetworkAnswerError('ADA', 'signing payloads (one per input address expected)');
  }
  const seen = new Set<string>();
  return payloads.map((payload: unknown) => {
    const account = isRecord(payload) ? payload.account_identifier : undefined;
    const address = isRecord(account) ? account.address : undefined;
    const keyHash = typeof address === 'string' ? byAddress.get(address) : undefined;
    if (!isRecord(payload) || keyHash === undefined || seen.has(address as string)) {
      throw new InvalidNetworkAnswerError('ADA', 'signing payload (not for an input address)');
    }
    seen.add(address as string);
    const bytes = payload.hex_bytes;
    if (typeof bytes !== 'string' || bytes.toLowerCase() !== hash) {
      throw new InvalidNetworkAnswerError('ADA', 'signing payload (not the hash of the transaction body)');
    }
    if (payload.signature_type !== undefined && payload.signature_type !== 'ed25519') {
      throw new InvalidNetworkAnswerError('ADA', 'signing payload (signature type)');
    }
    return { payload, keyHash };
  });
}

function adaKey(cardano: CardanoLib, text: string): AdaKey {
  const extended = parseAdaPrivateKey(cardano, text);
  try {
    const privateKey = cardano.PrivateKey.from_extended_bytes(extended);
    const publicKey = privateKey.to_public();
    const key: AdaKey = {
      keyHash: publicKey.hash().to_hex(),
      publicKey: publicKey.to_hex(),
      sign: (message) => privateKey.sign(message).to_hex(),
      free: () => privateKey.free(),
    };
    publicKey.free();
    return key;
  } finally {
    extended.fill(0);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
