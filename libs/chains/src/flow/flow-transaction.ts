import { secp256k1 } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { sha3_256 } from '@noble/hashes/sha3.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import type { SignRequest } from '../chain-signer.port';
import { InvalidTransactionError } from '../chains.errors';
import { parseFlowPrivateKey } from './flow-keys';
import {
  type FlowHashAlgorithm,
  type FlowPendingTx,
  type FlowSignature,
  type FlowTransaction,
  toRestTransaction,
} from './flow-pending-tx';
import { type RlpItem, rlpEncode } from './rlp';

/** "FLOW-V0.0-transaction" right-padded with zeros to 32 bytes: prefixed to every signed message. */
export const FLOW_TRANSACTION_DOMAIN_TAG: Uint8Array = (() => {
  const tag = new Uint8Array(32);
  tag.set(Buffer.from('FLOW-V0.0-transaction', 'utf8'));
  return tag;
})();

/** What proposers and authorizers sign: domain tag || RLP(payload). */
export function flowPayloadMessage(tx: FlowTransaction): Uint8Array {
  return withDomainTag(rlpEncode(payloadFields(tx)));
}

/** What the payer signs: domain tag || RLP([payload, payload signatures]). */
export function flowEnvelopeMessage(tx: FlowTransaction): Uint8Array {
  return withDomainTag(rlpEncode([payloadFields(tx), payloadSignatureFields(tx)]));
}

/**
 * The transaction id: SHA3-256 of RLP([payload, payload signatures, envelope signatures]), as the
 * access node computes it, so a submission whose answer was lost can still be looked up.
 */
export function flowTransactionId(tx: FlowTransaction): string {
  return bytesToHex(
    sha3_256(
      rlpEncode([payloadFields(tx), payloadSignatureFields(tx), signatureFields(tx, tx.envelopeSignatures)]),
    ),
  );
}

/** The digest an account key signs: SHA3-256 or SHA2-256 of the message, per the key's hash algorithm. */
export function flowDigest(message: Uint8Array, hashAlgorithm: FlowHashAlgorithm): Uint8Array {
  return hashAlgorithm === 'SHA3_256' ? sha3_256(message) : sha256(message);
}

/**
 * Signs our prepared FLOW format (`pending`: parseFlowRequest of the serializedTransaction) with `request.keys[0]`
 * (secp256k1, 64 hex) and returns txData: the Flow Access API (REST) body of the transaction with
 * our signature added, ready for `POST /v1/transactions`. The format (FlowPendingTx):
 * `{transaction: <REST body>, signer: {address, key_index?, hash_algorithm?}}`. Tatum's own
 * `{type, body}` format is built, signed and submitted by FlowTatumSender instead.
 *
 * Role, per Flow's rules: when `signer.address` is the payer the key signs the envelope (payload plus
 * every payload signature, so every other proposer/authorizer must have signed already), otherwise,
 * when it is the proposer or an authorizer, the payload. The signature is ECDSA secp256k1 (low-s)
 * over SHA3-256 (or SHA2-256) of the domain-tagged message, 64 bytes r || s.
 * Throws InvalidTransactionError / InvalidPrivateKeyError; no message quotes the key.
 */
export async function signFlowTransaction(pending: FlowPendingTx, request: SignRequest): Promise<string> {
  const { transaction: tx, signer } = pending;
  if (request.keys.length === 0) throw invalid('no private key was resolved to sign it');
  const isPayer = signer.address === tx.payer;
  const isPayloadSigner =
    signer.address === tx.proposalKey.address || tx.authorizers.includes(signer.address);
  if (!isPayer && !isPayloadSigner) {
    throw invalid('`signer.address` is neither its payer, nor its proposer, nor one of its authorizers');
  }
  const existing = isPayer ? tx.envelopeSignatures : tx.payloadSignatures;
  if (existing.some((s) => s.address === signer.address && s.keyIndex === signer.keyIndex)) {
    throw invalid('it is already signed by `signer`');
  }
  if (isPayer) {
    const unsigned = payloadSigners(tx).filter((a) => !tx.payloadSignatures.some((s) => s.address === a));
    if (unsigned.length > 0)
      throw invalid('its payer signs last, and a proposer or authorizer has not signed yet');
  } else if (tx.envelopeSignatures.length > 0) {
    throw invalid('it already has envelope signatures, which a new payload signature would invalidate');
  }
  payloadSignatureFields(tx); // every existing payload signature must belong to a signer of the transaction

  const message = isPayer ? flowEnvelopeMessage(tx) : flowPayloadMessage(tx);
  const privateKey = parseFlowPrivateKey(request.keys[0]);
  let signature: Uint8Array;
  try {
    signature = secp256k1.sign(flowDigest(message, signer.hashAlgorithm), privateKey, { prehash: false });
  } finally {
    privateKey.fill(0);
  }
  const added: FlowSignature = { address: signer.address, keyIndex: signer.keyIndex, signature };
  const signed: FlowTransaction = isPayer
    ? { ...tx, envelopeSignatures: canonicalOrder(tx, [...tx.envelopeSignatures, added]) }
    : { ...tx, payloadSignatures: canonicalOrder(tx, [...tx.payloadSignatures, added]) };
  return JSON.stringify(toRestTransaction(signed));
}

function payloadFields(tx: FlowTransaction): RlpItem[] {
  return [
    tx.script,
    [...tx.arguments],
    tx.referenceBlockId,
    tx.gasLimit,
    addressBytes(tx.proposalKey.address),
    tx.proposalKey.keyIndex,
    tx.proposalKey.sequenceNumber,
    addressBytes(tx.payer),
    tx.authorizers.map(addressBytes),
  ];
}

/** [signer index, key index, signature] of each payload signature, ordered by signer then key index. */
function payloadSignatureFields(tx: FlowTransaction): RlpItem[] {
  return signatureFields(tx, tx.payloadSignatures);
}

function signatureFields(tx: FlowTransaction, signatures: readonly FlowSignature[]): RlpItem[] {
  const signerIndex = signerIndexes(tx);
  return canonicalOrder(tx, signatures).map((s) => [
    BigInt(signerIndex.get(s.address)!),
    s.keyIndex,
    s.signature,
  ]);
}

/**
 * Signatures in Flow's canonical order (signer index, then key index), the order in which they are
 * encoded and, so that every encoder agrees, listed. Throws for a signature by a non-signer.
 */
export function canonicalOrder(tx: FlowTransaction, signatures: readonly FlowSignature[]): FlowSignature[] {
  const signerIndex = signerIndexes(tx);
  const indexOf = (s: FlowSignature): number => {
    const index = signerIndex.get(s.address);
    if (index === undefined) throw invalid('a signature is by an account that is not a signer of it');
    return index;
  };
  return signatures
    .map((signature) => ({ signature, index: indexOf(signature) }))
    .sort((a, b) =>
      a.index === b.index ? Number(a.signature.keyIndex - b.signature.keyIndex) : a.index - b.index,
    )
    .map(({ signature }) => signature);
}

/** Signer indexes as Flow counts them: proposer, payer, then authorizers, each address once. */
function signerIndexes(tx: FlowTransaction): Map<string, number> {
  const indexes = new Map<string, number>();
  for (const address of [tx.proposalKey.address, tx.payer, ...tx.authorizers]) {
    if (!indexes.has(address)) indexes.set(address, indexes.size);
  }
  return indexes;
}

/** Accounts that must sign the payload: the proposer and the authorizers, except the payer. */
function payloadSigners(tx: FlowTransaction): string[] {
  return [...new Set([tx.proposalKey.address, ...tx.authorizers])].filter((a) => a !== tx.payer);
}

function addressBytes(address: string): Uint8Array {
  return Uint8Array.from(Buffer.from(address, 'hex'));
}

function withDomainTag(encoded: Uint8Array): Uint8Array {
  const message = new Uint8Array(32 + encoded.length);
  message.set(FLOW_TRANSACTION_DOMAIN_TAG);
  message.set(encoded, 32);
  return message;
}

function invalid(detail: string): InvalidTransactionError {
  return new InvalidTransactionError('FLOW', detail);
}
