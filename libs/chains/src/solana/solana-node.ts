import { setTimeout as sleep } from 'node:timers/promises';
import { base58 } from '@scure/base';
import type { ChainNetwork } from '../chain-network.port';
import { SolanaSubmissionError } from './solana.errors';

/** How long to wait for a submitted transaction to reach `confirmed`, and how often to ask. */
export interface SolanaConfirmationOptions {
  timeoutMs: number;
  pollIntervalMs: number;
}

export interface SolanaBlockhash {
  blockhash: string;
  /** The last block height at which a transaction with this blockhash can still land. */
  lastValidBlockHeight: number;
}

interface SignatureStatus {
  err?: unknown;
  confirmationStatus?: string | null;
  confirmations?: number | null;
}

/** A recent finalized blockhash from the node (`getLatestBlockhash`), as Tatum's SDK takes it. */
export async function latestBlockhash(network: ChainNetwork): Promise<SolanaBlockhash> {
  const answer = await solanaRpc(network, 'getLatestBlockhash', [{ commitment: 'finalized' }]);
  const value = (answer as { value?: { blockhash?: unknown; lastValidBlockHeight?: unknown } } | null)?.value;
  const { blockhash, lastValidBlockHeight } = value ?? {};
  if (
    typeof blockhash !== 'string' ||
    !isBase58Bytes(blockhash, 32) ||
    !Number.isSafeInteger(lastValidBlockHeight)
  ) {
    throw new SolanaSubmissionError('NODE_ANSWER', undefined, 'getLatestBlockhash gave no valid blockhash');
  }
  return { blockhash, lastValidBlockHeight: lastValidBlockHeight as number };
}

/**
 * Submits a signed transaction (`sendTransaction`, base64, with preflight) and waits until it is
 * `confirmed`. A node error on submission propagates as the network raised it. Throws
 * SolanaSubmissionError: FAILED when its status carries an error, EXPIRED when the block height
 * passed `lastValidBlockHeight` without it (it can no longer land), TIMEOUT after `timeoutMs`
 * (it may still land), NODE_ANSWER for an answer that does not fit the JSON-RPC API.
 */
export async function submitAndConfirm(
  network: ChainNetwork,
  transaction: { wire: Buffer; signature: string },
  lastValidBlockHeight: number,
  options: SolanaConfirmationOptions,
): Promise<void> {
  const { signature } = transaction;
  const deadline = Date.now() + options.timeoutMs;
  const sent = await solanaRpc(network, 'sendTransaction', [
    transaction.wire.toString('base64'),
    { encoding: 'base64', skipPreflight: false, preflightCommitment: 'confirmed' },
  ]);
  if (sent !== signature) {
    throw new SolanaSubmissionError('NODE_ANSWER', signature, 'sendTransaction answered another signature');
  }
  for (;;) {
    let status = await signatureStatus(network, signature);
    if (status === null && (await blockHeight(network)) > lastValidBlockHeight) {
      // The height passed the blockhash's validity: a last look, as it may have landed meanwhile.
      status = await signatureStatus(network, signature);
      if (status === null) {
        throw new SolanaSubmissionError(
          'EXPIRED',
          signature,
          'its blockhash expired before it landed; it never will',
        );
      }
    }
    if (status !== null && status.err !== undefined && status.err !== null) {
      throw new SolanaSubmissionError(
        'FAILED',
        signature,
        `failed on chain: ${JSON.stringify(status.err).slice(0, 300)}`,
      );
    }
    if (status !== null && isConfirmed(status)) return;
    const left = deadline - Date.now();
    if (left <= 0) {
      throw new SolanaSubmissionError(
        'TIMEOUT',
        signature,
        `not confirmed within ${options.timeoutMs / 1000} s; it may still land, so check it before any new attempt`,
      );
    }
    await sleep(Math.min(options.pollIntervalMs, left));
  }
}

/**
 * What became of a transaction submitted earlier (by a signing attempt that timed out or lost its
 * answer): 'confirmed', or 'gone' when its blockhash expired without it (a new attempt is safe).
 * Throws SolanaSubmissionError FAILED when it landed with an error, TIMEOUT while it may still land.
 * The node's whole history is searched: a confirmed transaction must never look unknown.
 */
export async function earlierOutcome(
  network: ChainNetwork,
  signature: string,
  lastValidBlockHeight: number,
): Promise<'confirmed' | 'gone'> {
  let status = await signatureStatus(network, signature, true);
  if (status === null && (await blockHeight(network)) > lastValidBlockHeight) {
    status = await signatureStatus(network, signature, true);
    if (status === null) return 'gone';
  }
  if (status !== null && status.err !== undefined && status.err !== null) {
    throw new SolanaSubmissionError(
      'FAILED',
      signature,
      `failed on chain: ${JSON.stringify(status.err).slice(0, 300)}`,
    );
  }
  if (status !== null && isConfirmed(status)) return 'confirmed';
  throw new SolanaSubmissionError(
    'TIMEOUT',
    signature,
    'submitted earlier for this pending transaction and not confirmed yet; no second one is sent while it may land',
  );
}

async function signatureStatus(
  network: ChainNetwork,
  signature: string,
  searchTransactionHistory = false,
): Promise<SignatureStatus | null> {
  const answer = await solanaRpc(network, 'getSignatureStatuses', [
    [signature],
    { searchTransactionHistory },
  ]);
  const value = (answer as { value?: unknown } | null)?.value;
  if (!Array.isArray(value) || value.length !== 1 || (value[0] !== null && typeof value[0] !== 'object')) {
    throw new SolanaSubmissionError('NODE_ANSWER', signature, 'getSignatureStatuses gave no status list');
  }
  return value[0] as SignatureStatus | null;
}

async function blockHeight(network: ChainNetwork): Promise<number> {
  const answer = await solanaRpc(network, 'getBlockHeight', [{ commitment: 'confirmed' }]);
  if (!Number.isSafeInteger(answer)) {
    throw new SolanaSubmissionError('NODE_ANSWER', undefined, 'getBlockHeight gave no block height');
  }
  return answer as number;
}

/** `confirmed` or `finalized`; nodes that omit confirmationStatus mark rooted slots with `confirmations: null`. */
function isConfirmed(status: SignatureStatus): boolean {
  if (status.confirmationStatus === 'confirmed' || status.confirmationStatus === 'finalized') return true;
  return status.confirmationStatus == null && status.confirmations === null;
}

function isBase58Bytes(text: string, length: number): boolean {
  try {
    return base58.decode(text).length === length;
  } catch {
    return false;
  }
}

/**
 * A JSON-RPC call to a Solana node: TATUM_KMS_NODE_URL_SOL when set, else Tatum's node gateway
 * (`POST /v3/blockchain/node/SOL/{apiKey}`), as Tatum's SDK. `sendTransaction` is sent at most once
 * unless the request surely never left.
 */
function solanaRpc(network: ChainNetwork, method: string, params: unknown[]): Promise<unknown> {
  return network.node('SOL', {
    rpc: method,
    params,
    once: method === 'sendTransaction',
    fallback: { tatumPath: '/v3/blockchain/node/SOL/{apiKey}' },
  });
}
