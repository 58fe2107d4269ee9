/**
 * The embedded journal's tables (created when missing):
 * - `entries`: the hash-chained history, one row per entry; `body` is the entry without its hash
 *   (JSON), the other columns repeat some of its fields for filtering and are checked by verify;
 * - `ids`: the state per (chain, pending id): the claim (replica, lease until, epoch ms) and, once
 *   signed, the sealed transaction; `last_outcome` avoids repeating an identical outcome;
 * - `meta`: `head`, the seq and hash of the last entry (a removed last entry is detected).
 */
export const SCHEMA = `
CREATE TABLE IF NOT EXISTS entries (
  seq INTEGER PRIMARY KEY,
  time TEXT NOT NULL,
  kind TEXT NOT NULL,
  chain TEXT NOT NULL,
  pending_id TEXT NOT NULL,
  body TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS entries_time ON entries (time);
CREATE TABLE IF NOT EXISTS ids (
  chain TEXT NOT NULL,
  pending_id TEXT NOT NULL,
  payload_hash TEXT NOT NULL,
  status TEXT NOT NULL,
  replica TEXT NOT NULL,
  lease_until INTEGER NOT NULL,
  sealed_tx TEXT,
  signed_tx_hash TEXT,
  submitted_on_chain INTEGER,
  last_outcome TEXT,
  PRIMARY KEY (chain, pending_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
`;
