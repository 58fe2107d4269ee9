import { bytesToHex } from '@noble/hashes/utils.js';
import { InvalidTransactionError } from '../chains.errors';

/** Hash algorithm of the signing account key, in Flow's names. Tatum's keys use SHA3_256. */
export type FlowHashAlgorithm = 'SHA3_256' | 'SHA2_256';

/** A signature as the Flow Access API (REST) writes it. */
export interface FlowRestSignature {
  /** 16 hex digits, no 0x. */
  address: string;
  /** Decimal. */
  key_index: string;
  /** base64 of r || s (64 bytes). */
  signature: string;
}

/** A transaction as the body of the Flow Access API's `POST /v1/transactions` (REST). */
export interface FlowRestTransaction {
  /** base64 of the Cadence source. */
  script: string;
  /** base64 of each argument's JSON-Cadence encoding. */
  arguments: string[];
  /** 64 hex digits. */
  reference_block_id: string;
  /** Decimal uint64. */
  gas_limit: string;
  payer: string;
  proposal_key: { address: string; key_index: string; sequence_number: string };
  authorizers: string[];
  payload_signatures: FlowRestSignature[];
  envelope_signatures: FlowRestSignature[];
}

export interface FlowSignature {
  /** 16 lowercase hex digits. */
  readonly address: string;
  readonly keyIndex: bigint;
  readonly signature: Uint8Array;
}

/** A validated transaction: byte fields decoded, addresses as 16 lowercase hex digits. */
export interface FlowTransaction {
  readonly script: Uint8Array;
  readonly arguments: readonly Uint8Array[];
  readonly referenceBlockId: Uint8Array;
  readonly gasLimit: bigint;
  readonly proposalKey: {
    readonly address: string;
    readonly keyIndex: bigint;
    readonly sequenceNumber: bigint;
  };
  readonly payer: string;
  readonly authorizers: readonly string[];
  readonly payloadSignatures: readonly FlowSignature[];
  readonly envelopeSignatures: readonly FlowSignature[];
}

/** The account key that signs: an account address, the key's index on it and its hash algorithm. */
export interface FlowAccountKey {
  readonly address: string;
  readonly keyIndex: bigint;
  readonly hashAlgorithm: FlowHashAlgorithm;
}

/**
 * Our own prepared FLOW format, besides Tatum's `{type, body}` (see signFlowTransaction):
 * `{ transaction: <REST transaction body, unsigned or partly signed>, signer: { address,
 * key_index (default 0), hash_algorithm ('SHA3_256' default, or 'SHA2_256') } }`.
 */
export interface FlowPendingTx {
  readonly transaction: FlowTransaction;
  readonly signer: FlowAccountKey;
}

const UINT64_MAX = (1n << 64n) - 1n;
const UINT32_MAX = (1n << 32n) - 1n;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Validates the parsed JSON of a pending transaction (undefined: it was not JSON);
 * InvalidTransactionError, naming the field, on anything off.
 */
export function parseFlowPendingTx(json: unknown): FlowPendingTx {
  const root = object(json, 'the pending transaction');
  const tx = object(root.transaction, '`transaction`');
  const signer = object(root.signer, '`signer`');
  const proposalKey = object(tx.proposal_key, '`transaction.proposal_key`');
  const hashAlgorithm = signer.hash_algorithm ?? 'SHA3_256';
  if (hashAlgorithm !== 'SHA3_256' && hashAlgorithm !== 'SHA2_256') {
    throw invalid('`signer.hash_algorithm` is neither SHA3_256 nor SHA2_256');
  }
  return {
    transaction: {
      script: base64(tx.script, '`transaction.script`'),
      arguments: array(tx.arguments, '`transaction.arguments`').map((a, i) =>
        base64(a, `\`transaction.arguments[${i}]\``),
      ),
      referenceBlockId: hex32(tx.reference_block_id, '`transaction.reference_block_id`'),
      gasLimit: uint(tx.gas_limit, '`transaction.gas_limit`', UINT64_MAX),
      proposalKey: {
        address: address(proposalKey.address, '`transaction.proposal_key.address`'),
        keyIndex: uint(proposalKey.key_index, '`transaction.proposal_key.key_index`', UINT32_MAX),
        sequenceNumber: uint(
          proposalKey.sequence_number,
          '`transaction.proposal_key.sequence_number`',
          UINT64_MAX,
        ),
      },
      payer: address(tx.payer, '`transaction.payer`'),
      authorizers: array(tx.authorizers, '`transaction.authorizers`').map((a, i) =>
        address(a, `\`transaction.authorizers[${i}]\``),
      ),
      payloadSignatures: signatures(tx.payload_signatures, '`transaction.payload_signatures`'),
      envelopeSignatures: signatures(tx.envelope_signatures, '`transaction.envelope_signatures`'),
    },
    signer: {
      address: address(signer.address, '`signer.address`'),
      keyIndex: uint(signer.key_index ?? 0, '`signer.key_index`', UINT32_MAX),
      hashAlgorithm,
    },
  };
}

/** The REST body of a transaction (canonical spelling: lowercase hex, no 0x, decimal strings). */
export function toRestTransaction(tx: FlowTransaction): FlowRestTransaction {
  const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
  const rest = (s: FlowSignature): FlowRestSignature => ({
    address: s.address,
    key_index: s.keyIndex.toString(),
    signature: b64(s.signature),
  });
  return {
    script: b64(tx.script),
    arguments: tx.arguments.map(b64),
    reference_block_id: bytesToHex(tx.referenceBlockId),
    gas_limit: tx.gasLimit.toString(),
    payer: tx.payer,
    proposal_key: {
      address: tx.proposalKey.address,
      key_index: tx.proposalKey.keyIndex.toString(),
      sequence_number: tx.proposalKey.sequenceNumber.toString(),
    },
    authorizers: [...tx.authorizers],
    payload_signatures: tx.payloadSignatures.map(rest),
    envelope_signatures: tx.envelopeSignatures.map(rest),
  };
}

function signatures(value: unknown, field: string): FlowSignature[] {
  if (value === undefined || value === null) return [];
  return array(value, field).map((item, i) => {
    const sig = object(item, `${field}[${i}]`);
    if (sig.extension_data !== undefined && sig.extension_data !== null && sig.extension_data !== '') {
      throw invalid(`${field}[${i}] has extension data, which is not supported`);
    }
    const signature = base64(sig.signature, `${field}[${i}].signature`);
    if (signature.length !== 64) throw invalid(`${field}[${i}].signature is not 64 bytes`);
    return {
      address: address(sig.address, `${field}[${i}].address`),
      keyIndex: uint(sig.key_index, `${field}[${i}].key_index`, UINT32_MAX),
      signature,
    };
  });
}

/** A Flow address: up to 16 hex digits, 0x optional, left-padded to 8 bytes (as fcl does). */
function address(value: unknown, field: string): string {
  if (typeof value !== 'string' || !/^(?:0x)?[0-9a-f]{1,16}$/i.test(value)) {
    throw invalid(`${field} is not a Flow address (16 hex digits)`);
  }
  return value.replace(/^0x/i, '').toLowerCase().padStart(16, '0');
}

function hex32(value: unknown, field: string): Uint8Array {
  if (typeof value !== 'string' || !/^(?:0x)?[0-9a-f]{64}$/i.test(value)) {
    throw invalid(`${field} is not 32 bytes of hex`);
  }
  return Uint8Array.from(Buffer.from(value.replace(/^0x/i, ''), 'hex'));
}

function base64(value: unknown, field: string): Uint8Array {
  if (typeof value !== 'string' || !BASE64.test(value)) throw invalid(`${field} is not base64`);
  return Uint8Array.from(Buffer.from(value, 'base64'));
}

function uint(value: unknown, field: string, max: bigint): bigint {
  let n: bigint | undefined;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) n = BigInt(value);
  if (typeof value === 'string' && /^\d{1,20}$/.test(value)) n = BigInt(value);
  if (n === undefined || n > max) throw invalid(`${field} is not an integer from 0 to ${max}`);
  return n;
}

function object(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid(`${field} is not a JSON object`);
  }
  return value as Record<string, unknown>;
}

function array(value: unknown, field: string): unknown[] {
  if (!Array.isArray(value)) throw invalid(`${field} is not an array`);
  return value;
}

function invalid(detail: string): InvalidTransactionError {
  return new InvalidTransactionError('FLOW', detail);
}
