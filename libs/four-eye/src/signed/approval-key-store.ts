import type { KeyObject } from 'node:crypto';
import { KmsError } from '@kms/common';
import type { WalletStore } from '@kms/storage';
import { ed25519PrivateKey, newEd25519Key } from './ed25519-keys';

/**
 * The KMS's own Ed25519 key for signed approvals is kept in the wallet store, encrypted like every
 * wallet, as one private-key entry of this pseudo-chain (no chain signs with it; `export` and backups
 * include it, `report` names it). `tatum-kms approvalkey` creates it and prints its public key.
 */
export const APPROVAL_KEY_CHAIN = 'KMS_APPROVAL';

export class ApprovalKeyMissingError extends KmsError {
  constructor() {
    super(
      'APPROVAL_KEY_MISSING',
      'signed approvals with Ed25519 need the KMS approval key: run `tatum-kms approvalkey` and give its public key to the approval server',
    );
  }
}

/** The stored approval key, or ApprovalKeyMissingError. */
export async function readApprovalKey(store: WalletStore): Promise<{ signatureId: string; key: KeyObject }> {
  const [signatureId] = await store.ids({ chain: APPROVAL_KEY_CHAIN });
  if (signatureId === undefined) throw new ApprovalKeyMissingError();
  const entry = await store.get(signatureId);
  if (!('privateKey' in entry)) throw new ApprovalKeyMissingError();
  return { signatureId, key: ed25519PrivateKey(entry.privateKey) };
}

/** The stored approval key, created (and stored) when the store has none. */
export async function ensureApprovalKey(
  store: WalletStore,
): Promise<{ signatureId: string; key: KeyObject; created: boolean }> {
  try {
    return { ...(await readApprovalKey(store)), created: false };
  } catch (error) {
    if (!(error instanceof ApprovalKeyMissingError)) throw error;
  }
  const { seedHex, publicKey } = newEd25519Key();
  const [signatureId] = await store.add([
    { privateKey: seedHex, address: publicKey, chain: APPROVAL_KEY_CHAIN, testnet: false },
  ]);
  return { signatureId, key: ed25519PrivateKey(seedHex), created: true };
}
