import { DatabaseError, Pool, type PoolClient } from 'pg';
import { GENESIS_HASH } from '../entry-hash';
import { JournalRecordRefusedError, NO_JOURNAL_CODE } from '../journal.errors';
import type {
  ClaimResult,
  JournalClaim,
  JournalEntry,
  JournalFilter,
  JournalVerdict,
  OutcomeRecord,
  Resealer,
  SignedRecord,
  SigningJournal,
} from '../journal.port';
import { appendEntries, type EntryDraft, readEntries, verifyChain } from './postgres-chain';
import { checkSchema, migrate } from './postgres-schema';
import { redactPostgresUrl, scrubPostgresSecrets } from './postgres-url';

export interface PostgresJournalOptions {
  /** Connections per replica (default 4): a batch holds one for its transaction. */
  poolSize?: number;
  /** Server-side statement timeout, lock waits included (default 30 s). */
  statementTimeoutMs?: number;
  /** How long to wait for a connection (default 10 s). */
  connectTimeoutMs?: number;
  /**
   * `journal list` / `journal verify`: nothing is created or written (every transaction of the session
   * is read-only); the journal's tables must exist already.
   */
  readOnly?: boolean;
  /**
   * Open only a journal that exists (changepassword): its tables are checked, not created; an Error
   * with code NO_JOURNAL_CODE when there are none.
   */
  existing?: boolean;
}

interface StateRow {
  pending_id: string;
  chain: string;
  payload_hash: string;
  sealed_tx: string | null;
  signed_tx_hash: string | null;
  submitted_on_chain: boolean;
  lease_replica: string | null;
  lease_until: Date | null;
}

/** SQLSTATEs after which the whole transaction is simply run again. */
const RETRYABLE = new Set(['40001', '40P01']); // serialization_failure, deadlock_detected
const ATTEMPTS = 5;

/**
 * The signing journal on PostgreSQL, shared by any number of replicas (`TATUM_KMS_JOURNAL=postgres://...`).
 * Every batch is ONE transaction: it locks the per-id state rows it touches in (pendingId, chain) order
 * (INSERT ... ON CONFLICT for new ids, SELECT ... FOR UPDATE for known ones), decides per item, then
 * appends the batch's entries under the chain's advisory lock and commits. So two replicas claiming one
 * id get one `fresh` and one `held`, entries chain in commit order, and nothing is answered before it is
 * committed. Leases are judged on the database's clock, never a replica's. The connection string is
 * never logged; errors have its secrets removed.
 */
export class PostgresJournal implements SigningJournal {
  private constructor(
    private readonly pool: Pool,
    private readonly connectionString: string,
  ) {}

  /**
   * Connects, creates the tables when missing (under a migration lock) and checks their version;
   * read-only: checks that they exist and their version, creates nothing.
   */
  static async open(
    connectionString: string,
    options: PostgresJournalOptions = {},
  ): Promise<PostgresJournal> {
    const pool = new Pool({
      connectionString,
      max: options.poolSize ?? 4,
      statement_timeout: options.statementTimeoutMs ?? 30_000,
      idle_in_transaction_session_timeout: Math.max(options.statementTimeoutMs ?? 30_000, 60_000),
      connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
      application_name: 'tatum-kms',
      ...(options.readOnly ? { options: '-c default_transaction_read_only=on' } : {}),
    });
    // An idle connection dropped by the server: the next query reconnects (or fails and says so).
    pool.on('error', () => undefined);
    const journal = new PostgresJournal(pool, connectionString);
    try {
      const client = await pool.connect();
      try {
        await (options.readOnly || options.existing ? checkSchema(client) : migrate(client, GENESIS_HASH));
      } finally {
        client.release();
      }
      return journal;
    } catch (error) {
      await pool.end().catch(() => undefined);
      if ((error as { code?: string }).code === NO_JOURNAL_CODE) throw error; // quotes nothing of the URL
      throw journal.scrub(error, 'cannot open the journal database');
    }
  }

  /** Where this journal lives, for logs: the connection string without its password. */
  get location(): string {
    return redactPostgresUrl(this.connectionString);
  }

  async claimMany(claims: readonly JournalClaim[], replica: string, leaseMs: number): Promise<ClaimResult[]> {
    if (claims.length === 0) return [];
    return this.transaction(async (client) => {
      const keys = uniqueSorted(claims);
      const inserted = await client.query<{ pending_id: string; chain: string; lease_until: Date }>(
        `INSERT INTO kms_journal_state (pending_id, chain, payload_hash, lease_replica, lease_until)
         SELECT u.pending_id, u.chain, u.payload_hash, $4, clock_timestamp() + $5 * interval '1 millisecond'
         FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS u(pending_id, chain, payload_hash, n)
         ORDER BY u.n
         ON CONFLICT (pending_id, chain) DO NOTHING
         RETURNING pending_id, chain`,
        [
          keys.map((k) => k.pendingId),
          keys.map((k) => k.chain),
          keys.map((k) => k.payloadHash),
          replica,
          leaseMs,
        ],
      );
      const fresh = new Set(inserted.rows.map((row) => key(row.pending_id, row.chain)));
      const known = keys.filter((k) => !fresh.has(key(k.pendingId, k.chain)));
      const { rows, now } = await lockStates(client, known);

      const answers = new Map<string, ClaimResult>();
      const renew: JournalClaim[] = [];
      for (const claim of keys) {
        const id = key(claim.pendingId, claim.chain);
        if (fresh.has(id)) {
          answers.set(id, { kind: 'fresh' });
          continue;
        }
        const row = rows.get(id);
        const answer = row
          ? judgeClaim(row, claim, replica, now)
          : unreadable('its record vanished while locked');
        if (answer.kind === 'fresh') renew.push(claim);
        answers.set(id, answer);
      }
      if (renew.length > 0) {
        await client.query(
          `UPDATE kms_journal_state s
           SET lease_replica = $3, lease_until = $4::timestamptz + $5 * interval '1 millisecond', updated_at = $4
           FROM unnest($1::text[], $2::text[]) AS u(pending_id, chain)
           WHERE s.pending_id = u.pending_id AND s.chain = u.chain`,
          [renew.map((k) => k.pendingId), renew.map((k) => k.chain), replica, now, leaseMs],
        );
      }
      const claimed = keys.filter((k) => answers.get(key(k.pendingId, k.chain))?.kind === 'fresh');
      await appendEntries(
        client,
        claimed.map((k): EntryDraft => ({
          kind: 'claimed',
          pendingId: k.pendingId,
          chain: k.chain,
          payloadHash: k.payloadHash,
          replica,
        })),
      );
      // The same id again in one batch is judged on its own against what the first occurrence left:
      // another payload is a conflict; after a fresh first occurrence the same payload waits (held).
      const seen = new Map<string, JournalClaim>();
      return claims.map((claim): ClaimResult => {
        const id = key(claim.pendingId, claim.chain);
        const first = seen.get(id);
        if (!first) {
          seen.set(id, claim);
          return answers.get(id)!;
        }
        const row = rows.get(id);
        const again = row ? judgeClaim(row, claim, replica, now) : undefined;
        if (again && again.kind !== 'fresh') return again;
        if (claim.payloadHash !== first.payloadHash)
          return { kind: 'conflict', recordedPayloadHash: first.payloadHash };
        return { kind: 'held', replica, until: now };
      });
    });
  }

  async recordSignedMany(records: readonly SignedRecord[]): Promise<void> {
    if (records.length === 0) return;
    const refused = await this.transaction(async (client) => {
      const keys = uniqueSorted(records);
      const { rows, now } = await lockStates(client, keys);
      const refused: Array<{ pendingId: string; chain: string; reason: string }> = [];
      const accepted: SignedRecord[] = [];
      for (const record of records) {
        const id = key(record.pendingId, record.chain);
        const row = rows.get(id);
        const reason = row ? refuseSigned(row, record, now) : 'this id was never claimed';
        if (reason === 'duplicate') continue;
        if (reason) {
          refused.push({ pendingId: record.pendingId, chain: record.chain, reason });
          continue;
        }
        accepted.push(record);
        // a later record of the same id in this batch is judged against this one
        rows.set(id, { ...row!, sealed_tx: record.sealedTx, signed_tx_hash: record.signedTxHash });
      }
      if (accepted.length > 0) {
        await client.query(
          `UPDATE kms_journal_state s
           SET sealed_tx = u.sealed_tx, signed_tx_hash = u.signed_tx_hash, submitted_on_chain = u.submitted_on_chain,
             lease_replica = u.replica, updated_at = $7
           FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::boolean[], $6::text[])
             AS u(pending_id, chain, sealed_tx, signed_tx_hash, submitted_on_chain, replica)
           WHERE s.pending_id = u.pending_id AND s.chain = u.chain AND s.signed_tx_hash IS NULL`,
          [
            accepted.map((r) => r.pendingId),
            accepted.map((r) => r.chain),
            accepted.map((r) => r.sealedTx),
            accepted.map((r) => r.signedTxHash),
            accepted.map((r) => r.submittedOnChain),
            accepted.map((r) => r.replica),
            now,
          ],
        );
        await appendEntries(
          client,
          accepted.map((r): EntryDraft => ({
            kind: 'signed',
            pendingId: r.pendingId,
            chain: r.chain,
            payloadHash: r.payloadHash,
            signedTxHash: r.signedTxHash,
            sealedTx: r.sealedTx,
            wallets: r.wallets,
            amounts: r.amounts,
            replica: r.replica,
          })),
        );
      }
      return refused;
    });
    if (refused.length > 0) throw new JournalRecordRefusedError(refused);
  }

  async recordOutcomeMany(records: readonly OutcomeRecord[]): Promise<void> {
    if (records.length === 0) return;
    await this.transaction(async (client) => {
      const { now } = await lockStates(client, uniqueSorted(records));
      // The outcome ends this replica's attempt: its lease is released (another replica's is kept).
      await client.query(
        `UPDATE kms_journal_state s
         SET outcome = u.outcome, updated_at = $5,
           lease_until = CASE WHEN s.lease_replica = u.replica THEN NULL ELSE s.lease_until END
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS u(pending_id, chain, outcome, replica, n)
         WHERE s.pending_id = u.pending_id AND s.chain = u.chain`,
        [
          records.map((r) => r.pendingId),
          records.map((r) => r.chain),
          records.map((r) => r.outcome),
          records.map((r) => r.replica),
          now,
        ],
      );
      await appendEntries(
        client,
        records.map((r): EntryDraft => ({
          kind: r.outcome,
          pendingId: r.pendingId,
          chain: r.chain,
          txId: r.txId,
          reason: r.reason,
          replica: r.replica,
        })),
      );
    });
  }

  async resealAll(reseal: Resealer, replica: string): Promise<number> {
    type Signed = Pick<StateRow, 'pending_id' | 'chain' | 'payload_hash' | 'signed_tx_hash'> & {
      sealed_tx: string;
    };
    // in the order of the sealed values: grouped by salt, so each old key is derived once
    let signed: Signed[];
    try {
      ({ rows: signed } = await this.pool.query<Signed>(
        `SELECT pending_id, chain, payload_hash, signed_tx_hash, sealed_tx FROM kms_journal_state
         WHERE sealed_tx IS NOT NULL AND signed_tx_hash IS NOT NULL ORDER BY sealed_tx COLLATE "C"`,
      ));
    } catch (error) {
      throw this.scrub(error, 'cannot read the journal');
    }
    // sealing runs before the transaction (scrypt per salt), so no transaction waits on it
    const changed: Array<Signed & { resealed: string }> = [];
    for (const row of signed) {
      const resealed = await reseal(row.sealed_tx, { chain: row.chain, pendingId: row.pending_id });
      if (resealed !== row.sealed_tx) changed.push({ ...row, resealed });
    }
    if (changed.length === 0) return 0;
    return this.transaction(async (client) => {
      const keys = changed.map((row) => ({ pendingId: row.pending_id, chain: row.chain }));
      const { rows, now } = await lockStates(client, keys);
      // only where the state still holds the value that was re-sealed
      const still = changed.filter(
        (row) => rows.get(key(row.pending_id, row.chain))?.sealed_tx === row.sealed_tx,
      );
      if (still.length === 0) return 0;
      await client.query(
        `UPDATE kms_journal_state s SET sealed_tx = u.sealed_tx, updated_at = $4
         FROM unnest($1::text[], $2::text[], $3::text[]) AS u(pending_id, chain, sealed_tx)
         WHERE s.pending_id = u.pending_id AND s.chain = u.chain`,
        [still.map((r) => r.pending_id), still.map((r) => r.chain), still.map((r) => r.resealed), now],
      );
      await appendEntries(
        client,
        still.map((r): EntryDraft => ({
          kind: 'resealed',
          pendingId: r.pending_id,
          chain: r.chain,
          payloadHash: r.payload_hash,
          signedTxHash: r.signed_tx_hash!,
          sealedTx: r.resealed,
          replica,
        })),
      );
      return still.length;
    });
  }

  async *list(filter?: JournalFilter): AsyncIterable<JournalEntry> {
    try {
      yield* readEntries(this.pool, filter);
    } catch (error) {
      throw this.scrub(error, 'cannot read the journal');
    }
  }

  async verify(): Promise<JournalVerdict> {
    try {
      return await verifyChain(this.pool);
    } catch (error) {
      throw this.scrub(error, 'cannot verify the journal');
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  /** Runs `work` in one transaction, again on a deadlock or serialization failure; commits before answering. */
  private async transaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      let client: PoolClient;
      try {
        client = await this.pool.connect();
      } catch (error) {
        throw this.scrub(error, 'cannot reach the journal database');
      }
      let broken: Error | undefined;
      try {
        await client.query('BEGIN');
        const result = await work(client);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch((rollback: Error) => (broken = rollback));
        if (error instanceof DatabaseError && error.code && RETRYABLE.has(error.code) && attempt < ATTEMPTS)
          continue;
        if (!(error instanceof DatabaseError)) broken ??= error as Error;
        throw this.scrub(error, 'journal write failed');
      } finally {
        client.release(broken);
      }
    }
  }

  private scrub(error: unknown, context: string): Error {
    const message = error instanceof Error ? error.message : String(error);
    const code = error instanceof DatabaseError && error.code ? ` [${error.code}]` : '';
    return new Error(`${context}: ${scrubPostgresSecrets(message, this.connectionString)}${code}`);
  }
}

/**
 * Locks the state rows of `keys` (already sorted, so concurrent batches lock in one order) and reads
 * the database clock after the locks are held: leases are judged on it.
 */
async function lockStates(
  client: PoolClient,
  keys: ReadonlyArray<{ pendingId: string; chain: string }>,
): Promise<{ rows: Map<string, StateRow>; now: Date }> {
  const rows = new Map<string, StateRow>();
  if (keys.length > 0) {
    const locked = await client.query<StateRow>(
      `SELECT s.pending_id, s.chain, s.payload_hash, s.sealed_tx, s.signed_tx_hash, s.submitted_on_chain,
         s.lease_replica, s.lease_until
       FROM kms_journal_state s
       JOIN unnest($1::text[], $2::text[]) AS u(pending_id, chain) ON s.pending_id = u.pending_id AND s.chain = u.chain
       ORDER BY s.pending_id, s.chain
       FOR UPDATE OF s`,
      [keys.map((k) => k.pendingId), keys.map((k) => k.chain)],
    );
    for (const row of locked.rows) rows.set(key(row.pending_id, row.chain), row);
  }
  const clock = await client.query<{ now: Date }>('SELECT clock_timestamp() AS now');
  return { rows, now: clock.rows[0].now };
}

/**
 * A claim of an id the journal knows: a different payload is a conflict (signed or not: a pending id
 * never legitimately changes what it asks), a recorded signature is sent again, a live lease of
 * another replica is held, anything else (never signed, lease expired or ours) is fresh.
 */
function judgeClaim(row: StateRow, claim: JournalClaim, replica: string, now: Date): ClaimResult {
  if (row.payload_hash !== claim.payloadHash)
    return { kind: 'conflict', recordedPayloadHash: row.payload_hash };
  if (row.sealed_tx !== null || row.signed_tx_hash !== null) {
    if (!row.sealed_tx || !row.signed_tx_hash) return unreadable('its signed record is incomplete');
    return {
      kind: 'signed',
      sealedTx: row.sealed_tx,
      signedTxHash: row.signed_tx_hash,
      submittedOnChain: row.submitted_on_chain,
    };
  }
  if (row.lease_replica && row.lease_replica !== replica && row.lease_until && row.lease_until > now) {
    return { kind: 'held', replica: row.lease_replica, until: row.lease_until };
  }
  return { kind: 'fresh' };
}

/**
 * Why a signed record of a claimed id must not be kept, `duplicate` for the same record again (kept
 * once), or undefined to keep it. (A record of an id never claimed is refused by the caller.)
 */
function refuseSigned(row: StateRow, record: SignedRecord, now: Date): string | undefined {
  if (row.payload_hash !== record.payloadHash) return 'another payload is recorded for this id';
  if (row.signed_tx_hash !== null) {
    return row.signed_tx_hash === record.signedTxHash
      ? 'duplicate'
      : 'another signed transaction is recorded';
  }
  if (row.lease_replica && row.lease_replica !== record.replica && row.lease_until && row.lease_until > now) {
    return `replica ${row.lease_replica} holds its lease`;
  }
  return undefined;
}

function unreadable(reason: string): ClaimResult {
  return { kind: 'unreadable', reason };
}

function key(pendingId: string, chain: string): string {
  return `${chain}\u0000${pendingId}`;
}

/** One item per (pendingId, chain), the first occurrence, sorted as the state rows are locked. */
function uniqueSorted<T extends { pendingId: string; chain: string }>(items: readonly T[]): T[] {
  const unique = new Map<string, T>();
  for (const item of items)
    if (!unique.has(key(item.pendingId, item.chain))) unique.set(key(item.pendingId, item.chain), item);
  return [...unique.values()].sort((a, b) =>
    a.pendingId < b.pendingId
      ? -1
      : a.pendingId > b.pendingId
        ? 1
        : a.chain < b.chain
          ? -1
          : a.chain > b.chain
            ? 1
            : 0,
  );
}
