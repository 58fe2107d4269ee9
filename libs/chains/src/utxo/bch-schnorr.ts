import { secp256k1 } from '@noble/curves/secp256k1.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToNumberBE, concatBytes, numberToBytesBE } from '@noble/curves/utils.js';

/**
 * Bitcoin Cash Schnorr signatures (the 2019-05-15 upgrade spec; not BIP340): 64 bytes `R.x || s` with
 * `e = sha256(R.x || compressed P || m)`, `s = k + e*d`, and R's y a quadratic residue. The nonce is
 * Bitcoin ABC's: RFC 6979 HMAC-DRBG seeded with `key || msg || "Schnorr+SHA256  "`, which is what
 * bitcoincashjs/libauth use, so signatures are deterministic and reproduce Tatum's SDK byte for byte.
 */
const { Point } = secp256k1;
const P = Point.Fp.ORDER;
const N = Point.Fn.ORDER;
const ALGO16 = new TextEncoder().encode('Schnorr+SHA256  ');

export function bchSchnorrSign(message: Uint8Array, privateKey: Uint8Array): Uint8Array {
  const d = bytesToNumberBE(privateKey);
  if (message.length !== 32 || d <= 0n || d >= N) throw new Error('BCH Schnorr: invalid message or key');
  let k = nonce(privateKey, message);
  const R = Point.BASE.multiply(k).toAffine();
  if (!isQuadraticResidue(R.y)) k = N - k;
  const rx = numberToBytesBE(R.x, 32);
  const e = challenge(rx, Point.BASE.multiply(d).toBytes(true), message);
  const s = (k + e * d) % N;
  return concatBytes(rx, numberToBytesBE(s, 32));
}

/** Verifies a 64-byte BCH Schnorr signature of a 32-byte message against a compressed public key. */
export function bchSchnorrVerify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  if (signature.length !== 64 || message.length !== 32) return false;
  const r = bytesToNumberBE(signature.subarray(0, 32));
  const s = bytesToNumberBE(signature.subarray(32));
  if (r >= P || s >= N) return false;
  let point;
  try {
    point = Point.fromBytes(publicKey);
  } catch {
    return false;
  }
  const e = challenge(signature.subarray(0, 32), point.toBytes(true), message);
  // R = sG - eP
  const R = Point.BASE.multiplyUnsafe(s).subtract(point.multiplyUnsafe(e));
  if (R.is0()) return false;
  const { x, y } = R.toAffine();
  return isQuadraticResidue(y) && x === r;
}

function challenge(rx: Uint8Array, compressedPublicKey: Uint8Array, message: Uint8Array): bigint {
  return bytesToNumberBE(sha256(concatBytes(rx, compressedPublicKey, message))) % N;
}

function isQuadraticResidue(y: bigint): boolean {
  return Point.Fp.pow(y, (P - 1n) / 2n) === 1n;
}

/** libsecp256k1's nonce_function_rfc6979 with algo16 and no extra data, first candidate in [1, n). */
function nonce(privateKey: Uint8Array, message: Uint8Array): bigint {
  const seed = concatBytes(privateKey, message, ALGO16);
  let K: Uint8Array = new Uint8Array(32);
  let V: Uint8Array = new Uint8Array(32).fill(1);
  try {
    K = hmac(sha256, K, concatBytes(V, Uint8Array.of(0), seed));
    V = hmac(sha256, K, V);
    K = hmac(sha256, K, concatBytes(V, Uint8Array.of(1), seed));
    V = hmac(sha256, K, V);
    for (;;) {
      V = hmac(sha256, K, V);
      const k = bytesToNumberBE(V);
      if (k > 0n && k < N) return k;
      K = hmac(sha256, K, concatBytes(V, Uint8Array.of(0)));
      V = hmac(sha256, K, V);
    }
  } finally {
    seed.fill(0);
    K.fill(0);
    V.fill(0);
  }
}
