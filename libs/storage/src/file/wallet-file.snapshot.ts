import type { WalletMap } from '../wallet-entry';
import { UnknownStoreFormatError } from '../storage.errors';
import type { KeyRing } from './key-ring';
import { decryptLegacyWalletFile, isLegacyWalletText } from './legacy-crypto-js';
import {
  matchesHeader,
  openWalletMap,
  parseEnvelope,
  unwrapDataKey,
  type ScryptParams,
  type UnlockedKey,
} from './wallet-file.codec';
import type { FileSnapshot, Fingerprint } from './wallet-file.io';

/** One decrypted version of the wallet file, as the store caches it. */
export type WalletSnapshot =
  | { kind: 'missing'; map: WalletMap; fingerprint: null }
  | { kind: 'v2'; map: WalletMap; key: UnlockedKey; fingerprint: Fingerprint }
  | { kind: 'legacy'; map: WalletMap; bytes: Buffer; fingerprint: Fingerprint };

export const missingSnapshot = (): WalletSnapshot => ({ kind: 'missing', map: {}, fingerprint: null });

/**
 * Thrown (only in 'no-scrypt' mode) when opening the file needs a KEK that is not derived yet.
 * Not an error: the writer releases its lock, derives the KEK and tries again.
 */
export class KekNeeded {
  constructor(readonly kdf?: ScryptParams) {}
}

export interface DecodeContext {
  location: string;
  ring: KeyRing;
  /** The key of the previous snapshot: reused as is when the header did not change. */
  previous?: UnlockedKey;
  /** 'no-scrypt' under the lock (a missing KEK throws KekNeeded); 'derive' otherwise. */
  mode: 'derive' | 'no-scrypt';
}

/**
 * Detects the format by content and decrypts: a JSON envelope is v2, base64 of "Salted__..." is
 * tatum-kms's legacy format, anything else (an empty file too) is UnknownStoreFormatError.
 */
export async function decodeWalletFile(
  file: FileSnapshot | null,
  ctx: DecodeContext,
): Promise<WalletSnapshot> {
  if (!file) return missingSnapshot();
  const text = file.bytes.toString('utf8').trim();
  if (text.startsWith('{')) {
    const envelope = parseEnvelope(text, ctx.location);
    let key = ctx.previous && matchesHeader(envelope, ctx.previous) ? ctx.previous : undefined;
    if (!key) {
      const kek = ctx.ring.known(envelope.kdf);
      if (!kek && ctx.mode === 'no-scrypt') throw new KekNeeded(envelope.kdf);
      key = unwrapDataKey(envelope, kek ?? (await ctx.ring.derive(envelope.kdf)));
    }
    return {
      kind: 'v2',
      map: openWalletMap(envelope, key, ctx.location),
      key,
      fingerprint: file.fingerprint,
    };
  }
  if (isLegacyWalletText(text)) {
    const map = decryptLegacyWalletFile(text, await ctx.ring.password(), ctx.location);
    return { kind: 'legacy', map, bytes: file.bytes, fingerprint: file.fingerprint };
  }
  throw new UnknownStoreFormatError(ctx.location);
}
