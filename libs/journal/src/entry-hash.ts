import { createHash } from 'node:crypto';
import type { JournalEntry } from './journal.port';

/** The `prevHash` of the first entry of a journal. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * The hash of one journal entry: sha256 over a canonical JSON of every field except `hash` itself
 * (keys sorted, absent fields omitted), `prevHash` included, so editing, removing or reordering any
 * entry breaks the chain from that entry on. Both adapters use exactly this function.
 */
export function entryHash(entry: Omit<JournalEntry, 'hash'>): string {
  return createHash('sha256').update(canonicalJson(entry)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const fields = Object.entries(value as Record<string, unknown>)
    .filter(([, field]) => field !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, field]) => `${JSON.stringify(key)}:${canonicalJson(field)}`);
  return `{${fields.join(',')}}`;
}
