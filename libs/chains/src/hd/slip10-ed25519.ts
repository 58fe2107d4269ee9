import { createHmac } from 'node:crypto';

const HARDENED = 0x80000000;

/**
 * SLIP-10 ed25519 derivation: the 32-byte private key (ed25519 seed) at `path` from a BIP39 seed.
 * ed25519 has only hardened children, so every element of `path` is hardened here (pass plain
 * indices: [44, 501, 0, 0, i] means m/44'/501'/0'/0'/i'). The caller should wipe the result.
 */
export function slip10Ed25519(seed: Uint8Array, path: readonly number[]): Uint8Array {
  let digest = createHmac('sha512', 'ed25519 seed').update(seed).digest();
  for (const element of path) {
    const data = Buffer.alloc(37);
    digest.copy(data, 1, 0, 32); // 0x00 || key
    data.writeUInt32BE((element | HARDENED) >>> 0, 33);
    const next = createHmac('sha512', digest.subarray(32)).update(data).digest();
    data.fill(0);
    digest.fill(0);
    digest = next;
  }
  const key = Uint8Array.from(digest.subarray(0, 32));
  digest.fill(0);
  return key;
}
