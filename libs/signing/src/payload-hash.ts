import { createHash } from 'node:crypto';
import type { PendingTransaction } from '@kms/tatum';

/**
 * The identity of what a pending transaction asks to sign: SHA-256 (hex) over its chain, payload and
 * every field that chooses keys or routing (hashes, index, signatures, withdrawal). Two items with the
 * same hash are signed the same way; a changed payload, wallet or withdrawal changes it. Approvals
 * (signed mode) and the signing journal bind to it.
 */
export function payloadHash(tx: PendingTransaction): string {
  const identity = [
    'kms-payload-v1',
    tx.chain.toUpperCase(),
    tx.serializedTransaction,
    tx.hashes,
    tx.index ?? null,
    tx.signatures ?? null,
    tx.withdrawalId ?? null,
    tx.withdrawalResponses ?? null,
  ];
  return createHash('sha256').update(JSON.stringify(identity)).digest('hex');
}
