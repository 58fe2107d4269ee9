import type { PoolClient } from 'pg';
import { NO_JOURNAL_CODE } from '../journal.errors';

/**
 * The PostgreSQL journal's tables, created (idempotently) by every replica that opens the database:
 * - kms_journal_entries: the hash chain, one row per entry, `seq` gap-free from 1 in commit order
 *   (assigned under the chain lock from kms_journal_tail, so a missing seq is a removed entry);
 * - kms_journal_tail: one row, the last entry's seq and hash (so removing the last entry is detected);
 * - kms_journal_state: one row per (pendingId, chain): the payload hash first claimed, the signed
 *   transaction once recorded (its bytes never change afterwards; a password change re-seals them,
 *   with a `resealed` entry), the lease and the last outcome.
 * `time` is stored as the exact ISO string that was hashed.
 */
export const SCHEMA_VERSION = 1;

/** pg_advisory_xact_lock(LOCK_CLASS, key): two-int advisory locks in the KMS's own class. */
export const LOCK_CLASS = 0x6b6d73; // 'kms'
/** Held while appending entries: the chain's tail, so entries chain in commit order across replicas. */
export const CHAIN_LOCK = 1;
/** Held while creating or checking the tables, so replicas starting together do not race. */
export const MIGRATION_LOCK = 2;

const DDL = `
CREATE TABLE IF NOT EXISTS kms_journal_meta (
  id integer PRIMARY KEY CHECK (id = 1),
  schema_version integer NOT NULL
);
CREATE TABLE IF NOT EXISTS kms_journal_entries (
  seq bigint PRIMARY KEY,
  time text NOT NULL,
  kind text NOT NULL,
  pending_id text NOT NULL,
  chain text NOT NULL,
  payload_hash text,
  signed_tx_hash text,
  sealed_tx text,
  tx_id text,
  reason text,
  wallets jsonb,
  amounts jsonb,
  replica text NOT NULL,
  prev_hash text NOT NULL,
  hash text NOT NULL
);
CREATE INDEX IF NOT EXISTS kms_journal_entries_pending ON kms_journal_entries (pending_id, chain);
CREATE INDEX IF NOT EXISTS kms_journal_entries_time ON kms_journal_entries (time);
CREATE TABLE IF NOT EXISTS kms_journal_tail (
  id integer PRIMARY KEY CHECK (id = 1),
  seq bigint NOT NULL,
  hash text NOT NULL
);
CREATE TABLE IF NOT EXISTS kms_journal_state (
  pending_id text NOT NULL,
  chain text NOT NULL,
  payload_hash text NOT NULL,
  sealed_tx text,
  signed_tx_hash text,
  submitted_on_chain boolean NOT NULL DEFAULT false,
  lease_replica text,
  lease_until timestamptz,
  outcome text,
  updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (pending_id, chain)
);
`;

/**
 * A reader's check (nothing created): the journal's tables exist (an Error with code NO_JOURNAL_CODE
 * when they do not), in a version this KMS reads.
 */
export async function checkSchema(client: PoolClient): Promise<void> {
  const exists = await client.query<{ found: string | null }>(
    `SELECT to_regclass('kms_journal_meta') AS found`,
  );
  if (!exists.rows[0].found)
    throw Object.assign(new Error('the database holds no signing journal (no daemon has written to it)'), {
      code: NO_JOURNAL_CODE,
    });
  const meta = await client.query<{ schema_version: number }>('SELECT schema_version FROM kms_journal_meta');
  const version = meta.rows[0]?.schema_version;
  if (version === undefined || version > SCHEMA_VERSION) {
    throw new Error(
      `the journal database has schema version ${version ?? 'none'}, this KMS reads ${SCHEMA_VERSION}`,
    );
  }
}

/**
 * Creates the tables when missing and checks the schema version, inside one transaction under the
 * migration lock. Refuses a database written by a newer schema.
 */
export async function migrate(client: PoolClient, genesisHash: string): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1, $2)', [LOCK_CLASS, MIGRATION_LOCK]);
    await client.query(DDL);
    const meta = await client.query<{ schema_version: number }>(
      'SELECT schema_version FROM kms_journal_meta',
    );
    if (meta.rowCount === 0) {
      await client.query('INSERT INTO kms_journal_meta (id, schema_version) VALUES (1, $1)', [
        SCHEMA_VERSION,
      ]);
    } else if (meta.rows[0].schema_version > SCHEMA_VERSION) {
      throw new Error(
        `the journal database has schema version ${meta.rows[0].schema_version}, newer than this KMS (${SCHEMA_VERSION})`,
      );
    }
    await client.query(
      'INSERT INTO kms_journal_tail (id, seq, hash) VALUES (1, 0, $1) ON CONFLICT (id) DO NOTHING',
      [genesisHash],
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
