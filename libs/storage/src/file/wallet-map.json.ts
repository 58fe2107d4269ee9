import type { WalletMap } from '../wallet-entry';

export type WalletMapParse =
  { ok: true; map: WalletMap } | { ok: false; reason: 'not-json' | 'not-a-wallet-map' };

/**
 * Parses the decrypted plaintext of a wallet file (either format). A wallet map is a JSON object whose
 * values are objects; entries are not checked further, so unknown fields survive a rewrite.
 * Never throws and never reports the text itself: the caller maps the reason to its own error.
 */
export function parseWalletMapJson(text: string): WalletMapParse {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'not-json' };
  }
  if (!isPlainObject(value)) return { ok: false, reason: 'not-a-wallet-map' };
  for (const entry of Object.values(value)) {
    if (!isPlainObject(entry)) return { ok: false, reason: 'not-a-wallet-map' };
  }
  return { ok: true, map: value as WalletMap };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
