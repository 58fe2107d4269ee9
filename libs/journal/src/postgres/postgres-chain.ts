import type { Pool, PoolClient } from 'pg';
import { entryHash, GENESIS_HASH } from '../entry-hash';
import type { JournalEntry, JournalFilter, JournalVerdict } from '../journal.port';
import { CHAIN_LOCK, LOCK_CLASS } from './postgres-schema';

/** An entry before the chain gives it its place: seq, time and hashes are the chain's. */
export type EntryDraft = Omit<JournalEntry, 'seq' | 'time' | 'prevHash' | 'hash'>;

const PAGE = 500;

const COLUMNS =
  'seq, time, kind, pending_id, chain, payload_hash, signed_tx_hash, sealed_tx, tx_id, reason, wallets, amounts, replica, prev_hash, hash';

/**
 * Appends entries to the hash chain inside the caller's transaction. Takes the chain lock
 * (pg_advisory_xact_lock, held until commit or rollback), so entries of concurrent transactions, on
 * any replica, chain in commit order. Callers take every row lock they need BEFORE calling this: a
 * transaction holding the chain lock then waits for nothing but its own inserts, so no deadlock.
 * `time` is the database's clock (one value per batch), seq continues the tail's without a gap.
 */
export async function appendEntries(
  client: PoolClient,
  drafts: readonly EntryDraft[],
): Promise<JournalEntry[]> {
  if (drafts.length === 0) return [];
  await client.query('SELECT pg_advisory_xact_lock($1, $2)', [LOCK_CLASS, CHAIN_LOCK]);
  const tail = await client.query<{ seq: string; hash: string; now: Date }>(
    'SELECT seq, hash, clock_timestamp() AS now FROM kms_journal_tail WHERE id = 1',
  );
  if (tail.rowCount !== 1) throw new Error('the journal tail row is missing (was the database edited?)');
  let seq = Number(tail.rows[0].seq);
  let prevHash = tail.rows[0].hash;
  const time = tail.rows[0].now.toISOString();
  const entries = drafts.map((draft) => {
    const unhashed = withoutUndefined({ ...draft, seq: ++seq, time, prevHash });
    const entry = { ...unhashed, hash: entryHash(unhashed) } as JournalEntry;
    prevHash = entry.hash;
    return entry;
  });
  const column = <K extends keyof JournalEntry>(key: K) => entries.map((entry) => entry[key] ?? null);
  const json = (key: 'wallets' | 'amounts') =>
    entries.map((entry) => (entry[key] === undefined ? null : JSON.stringify(entry[key])));
  await client.query(
    `INSERT INTO kms_journal_entries (${COLUMNS})
     SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
       $8::text[], $9::text[], $10::text[], $11::jsonb[], $12::jsonb[], $13::text[], $14::text[], $15::text[])`,
    [
      column('seq'),
      column('time'),
      column('kind'),
      column('pendingId'),
      column('chain'),
      column('payloadHash'),
      column('signedTxHash'),
      column('sealedTx'),
      column('txId'),
      column('reason'),
      json('wallets'),
      json('amounts'),
      column('replica'),
      column('prevHash'),
      column('hash'),
    ],
  );
  await client.query('UPDATE kms_journal_tail SET seq = $1, hash = $2 WHERE id = 1', [seq, prevHash]);
  return entries;
}

/** Entries in seq order, filtered, a page at a time (each page its own query, no long transaction). */
export async function* readEntries(pool: Pool, filter: JournalFilter = {}): AsyncGenerator<JournalEntry> {
  const conditions = ['seq > $1'];
  const params: unknown[] = [0];
  if (filter.since) {
    params.push(filter.since.toISOString());
    conditions.push(`time >= $${params.length}`);
  }
  if (filter.chain) {
    params.push(filter.chain);
    conditions.push(`chain = $${params.length}`);
  }
  if (filter.outcome) {
    params.push(filter.outcome);
    conditions.push(`kind = $${params.length}`);
  }
  for (;;) {
    const page = await pool.query<EntryRow>(
      `SELECT ${COLUMNS} FROM kms_journal_entries WHERE ${conditions.join(' AND ')} ORDER BY seq LIMIT ${PAGE}`,
      params,
    );
    for (const row of page.rows) yield toEntry(row);
    if (page.rows.length < PAGE) return;
    params[0] = page.rows[page.rows.length - 1].seq;
  }
}

/**
 * Walks the whole chain in seq order: seq must run 1, 2, 3... without a gap, each entry's prevHash must
 * be the hash of the one before (GENESIS_HASH for the first), its hash must be entryHash of its
 * fields, a `resealed` entry must follow a `signed` entry of its id with the same hashes, and the last
 * entry must be the one the tail row names.
 */
export async function verifyChain(pool: Pool): Promise<JournalVerdict> {
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let entries = 0;
  /** Per signed id, its `signed` entry's payload and signed-bytes hashes: a `resealed` entry repeats them. */
  const signed = new Map<string, string>();
  const bad = (firstBadSeq: number, reason: string): JournalVerdict => ({
    ok: false,
    entries,
    firstBadSeq,
    reason,
  });
  for await (const entry of readEntries(pool)) {
    entries++;
    if (entry.seq !== expectedSeq) {
      return entry.seq > expectedSeq
        ? bad(expectedSeq, `entry ${expectedSeq} is missing (removed)`)
        : bad(entry.seq, `entry ${entry.seq} is out of order`);
    }
    if (entry.prevHash !== prevHash) {
      return bad(entry.seq, `entry ${entry.seq} does not follow the entry before it (removed or reordered)`);
    }
    const { hash, ...unhashed } = entry;
    if (entryHash(unhashed) !== hash)
      return bad(entry.seq, `entry ${entry.seq} was edited (its hash does not match)`);
    const id = `${entry.chain}\u0000${entry.pendingId}`;
    if (entry.kind === 'signed') signed.set(id, `${entry.payloadHash}/${entry.signedTxHash}`);
    if (entry.kind === 'resealed' && signed.get(id) !== `${entry.payloadHash}/${entry.signedTxHash}`) {
      return bad(entry.seq, `entry ${entry.seq} re-seals a transaction that was not signed`);
    }
    prevHash = hash;
    expectedSeq++;
  }
  const tail = await pool.query<{ seq: string; hash: string }>(
    'SELECT seq, hash FROM kms_journal_tail WHERE id = 1',
  );
  if (tail.rowCount !== 1) return bad(expectedSeq, 'the chain tail record is missing');
  const tailSeq = Number(tail.rows[0].seq);
  if (tailSeq !== expectedSeq - 1) {
    return tailSeq > expectedSeq - 1
      ? bad(expectedSeq, `entries from ${expectedSeq} to ${tailSeq} are missing (removed)`)
      : bad(tailSeq + 1, `the chain tail names entry ${tailSeq}, but entries run to ${expectedSeq - 1}`);
  }
  if (tail.rows[0].hash !== prevHash)
    return bad(tailSeq, `entry ${tailSeq} is not the one the chain tail names`);
  return { ok: true, entries };
}

interface EntryRow {
  seq: string;
  time: string;
  kind: JournalEntry['kind'];
  pending_id: string;
  chain: string;
  payload_hash: string | null;
  signed_tx_hash: string | null;
  sealed_tx: string | null;
  tx_id: string | null;
  reason: string | null;
  wallets: string[] | null;
  amounts: Array<{ asset: string; value: string }> | null;
  replica: string;
  prev_hash: string;
  hash: string;
}

function toEntry(row: EntryRow): JournalEntry {
  return withoutUndefined({
    seq: Number(row.seq),
    time: row.time,
    kind: row.kind,
    pendingId: row.pending_id,
    chain: row.chain,
    payloadHash: row.payload_hash ?? undefined,
    signedTxHash: row.signed_tx_hash ?? undefined,
    sealedTx: row.sealed_tx ?? undefined,
    txId: row.tx_id ?? undefined,
    reason: row.reason ?? undefined,
    wallets: row.wallets ?? undefined,
    amounts: row.amounts ?? undefined,
    replica: row.replica,
    prevHash: row.prev_hash,
    hash: row.hash,
  });
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}
