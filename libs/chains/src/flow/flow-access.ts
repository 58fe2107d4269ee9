import { hexToBytes } from '@noble/hashes/utils.js';
import type { FlowHashAlgorithm, FlowRestTransaction } from './flow-pending-tx';
import type { FlowAccessAnswer, FlowSigningNetwork } from './flow-network';
import { FlowSubmissionError } from './flow.errors';

/** One key of an account as the access node lists it (REST `AccountPublicKey`). */
export interface OnChainFlowKey {
  index: number;
  /** 128 lowercase hex digits (no 0x). */
  publicKey: string;
  signingAlgorithm: string;
  hashAlgorithm: FlowHashAlgorithm | string;
  sequenceNumber: bigint;
  weight: number;
  revoked: boolean;
}

/** The status of a submitted transaction (REST `TransactionResult`); undefined: the node does not know it. */
export interface FlowTransactionResult {
  status: 'Unknown' | 'Pending' | 'Finalized' | 'Executed' | 'Sealed' | 'Expired' | string;
  errorMessage: string;
}

/**
 * The Flow Access API (REST) calls the FLOW signer makes, over FlowSigningNetwork.flowAccess. Answers
 * are checked; anything off is FlowSubmissionError NODE_ANSWER (or REJECTED for a refused transaction).
 */
export class FlowAccessNode {
  constructor(
    private readonly network: FlowSigningNetwork,
    private readonly testnet: boolean,
  ) {}

  /** The id of the latest finalized block (what fcl uses as reference block). */
  async finalBlockId(): Promise<Uint8Array> {
    const answer = await this.get('v1/blocks?height=final', 'the latest block');
    const id = (answer as Array<{ header?: { id?: unknown } }>)?.[0]?.header?.id;
    if (typeof id !== 'string' || !/^[0-9a-f]{64}$/i.test(id)) throw nodeAnswer('the latest block has no id');
    return hexToBytes(id.toLowerCase());
  }

  /** The keys of an account (16 hex digits); undefined when the node does not know the account. */
  async accountKeys(address: string): Promise<OnChainFlowKey[] | undefined> {
    const answer = await this.network.flowAccess(
      this.testnet,
      'GET',
      `v1/accounts/${address}?block_height=final&expand=keys`,
    );
    if (answer.status === 404) return undefined;
    const keys = (ok(answer, `account 0x${address}`) as { keys?: unknown })?.keys;
    if (!Array.isArray(keys)) throw nodeAnswer(`account 0x${address} came without its keys`);
    return keys.map((key) => accountKey(key, address));
  }

  /** Submits a signed transaction; its id as the node computed it. REJECTED when the node refuses it. */
  async submit(transaction: FlowRestTransaction): Promise<string> {
    const answer = await this.network.flowAccess(this.testnet, 'POST', 'v1/transactions', transaction);
    if (answer.status >= 400 && answer.status < 500) {
      throw new FlowSubmissionError('REJECTED', undefined, `the access node refused it: ${message(answer)}`);
    }
    const id = (ok(answer, 'the submission') as { id?: unknown })?.id;
    if (typeof id !== 'string' || !/^[0-9a-f]{64}$/i.test(id))
      throw nodeAnswer('the submission answer has no id');
    return id.toLowerCase();
  }

  /** The result of a transaction so far; undefined while the node does not know it (404). */
  async result(txId: string): Promise<FlowTransactionResult | undefined> {
    const answer = await this.network.flowAccess(this.testnet, 'GET', `v1/transaction_results/${txId}`);
    if (answer.status === 404) return undefined;
    const body = ok(answer, `the result of ${txId}`) as { status?: unknown; error_message?: unknown };
    if (typeof body?.status !== 'string') throw nodeAnswer(`the result of ${txId} has no status`);
    return {
      status: body.status,
      errorMessage: typeof body.error_message === 'string' ? body.error_message : '',
    };
  }

  private async get(path: string, what: string): Promise<unknown> {
    return ok(await this.network.flowAccess(this.testnet, 'GET', path), what);
  }
}

function accountKey(value: unknown, address: string): OnChainFlowKey {
  const key = (value ?? {}) as Record<string, unknown>;
  const index = Number(key.index);
  const publicKey =
    typeof key.public_key === 'string' ? key.public_key.replace(/^0x/i, '').toLowerCase() : '';
  const sequence = String(key.sequence_number ?? '');
  if (
    !Number.isSafeInteger(index) ||
    index < 0 ||
    !/^[0-9a-f]+$/.test(publicKey) ||
    !/^\d{1,20}$/.test(sequence)
  ) {
    throw nodeAnswer(`a key of account 0x${address} is malformed`);
  }
  return {
    index,
    publicKey,
    signingAlgorithm: String(key.signing_algorithm ?? ''),
    hashAlgorithm: String(key.hashing_algorithm ?? ''),
    sequenceNumber: BigInt(sequence),
    weight: Number(key.weight ?? 0),
    revoked: key.revoked === true,
  };
}

function ok(answer: FlowAccessAnswer, what: string): unknown {
  if (answer.status < 200 || answer.status >= 300) {
    throw nodeAnswer(`${what}: HTTP ${answer.status} ${message(answer)}`);
  }
  return answer.body;
}

/** The node's error message, shortened (REST errors are `{code, message}`). */
function message(answer: FlowAccessAnswer): string {
  const text = (answer.body as { message?: unknown } | null)?.message;
  return typeof text === 'string' ? text.slice(0, 300) : `(HTTP ${answer.status})`;
}

function nodeAnswer(detail: string): FlowSubmissionError {
  return new FlowSubmissionError('NODE_ANSWER', undefined, `access node: ${detail}`);
}
