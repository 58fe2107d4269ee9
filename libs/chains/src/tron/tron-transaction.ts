import { secp256k1 } from '@noble/curves/secp256k1.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import type { SignRequest } from '../chain-signer.port';
import { InvalidTransactionError } from '../chains.errors';
import { encodeTronAddress, parseTronPrivateKey, tronAddressBytes } from './tron-keys';
import { parseTronPendingTx } from './tron-pending-tx';

/**
 * Signs a TRON pending transaction (docs/tatum-protocol.md §5) with `request.keys[0]`, as TronWeb's
 * `trx.sign` does for Tatum: the key must own the first contract; the txID (sha256 of raw_data_hex,
 * checked) is signed with secp256k1 (RFC 6979, low s) and the signature, hex r(32) || s(32) ||
 * v(1) with v = recovery + 27, is added to `signature` (appended to an existing array, once).
 * Returns the transaction JSON. No network is needed. InvalidTransactionError for a malformed or
 * inconsistent transaction or a key that does not own it, InvalidPrivateKeyError for a bad key;
 * no message quotes the key.
 */
export function signTronTransaction(request: SignRequest): string {
  const pending = parseTronPendingTx(request.serializedTransaction);
  if (request.keys.length === 0) {
    throw new InvalidTransactionError('TRON', 'no private key was resolved to sign it');
  }
  const key = parseTronPrivateKey(request.keys[0]);
  let signature: string;
  try {
    const signer = tronAddressBytes(secp256k1.getPublicKey(key, false));
    const { owner } = pending;
    if (owner.length !== signer.length || !signer.every((byte, i) => byte === owner[i])) {
      throw new InvalidTransactionError(
        'TRON',
        `it is owned by ${encodeTronAddress(owner)}, not by the signing key's address ${encodeTronAddress(signer)}`,
      );
    }
    // 'recovered' is the recovery byte, then r || s; TRON takes r || s || recovery + 27
    const sig = secp256k1.sign(pending.txId, key, { lowS: true, prehash: false, format: 'recovered' });
    signature = bytesToHex(sig.subarray(1)) + (sig[0] + 27).toString(16);
  } finally {
    key.fill(0);
  }
  const existing = (pending.json.signature as string[] | undefined) ?? [];
  const signatures = existing.some((s) => s.toLowerCase() === signature)
    ? existing
    : [...existing, signature];
  return JSON.stringify({ ...pending.json, signature: signatures });
}
