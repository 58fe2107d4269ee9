import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { entryHash, GENESIS_HASH } from '../entry-hash';
import { JournalRecordRefusedError, JournalUnavailableError } from '../journal.errors';
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
import { SCHEMA } from './sqlite-schema';

export interface SqliteJournalOptions {
  /**
   * The daemon opens the embedded journal as its only writer: leases found at open were taken by a
   * process that is gone, so they are released (its claims were never signed, or they would say so).
   */
  releaseLeases?: boolean;
  /** `journal list` / `journal verify`: nothing is created or written. */
  readOnly?: boolean;
}

interface IdRow {
  payload_hash: string;
  status: 'claimed' | 'signed';
  replica: string;
  lease_until: number;
  sealed_tx: string | null;
  signed_tx_hash: string | null;
  submitted_on_chain: number | null;
  last_outcome: string | null;
}

interface EntryRow {
  seq: number;
  time: string;
  kind: string;
  chain: string;
  pending_id: string;
  body: string;
  hash: string;
}

type NewEntry = Omit<JournalEntry, 'seq' | 'time' | 'prevHash' | 'hash'>;

/**
 * The embedded signing journal: one SQLite file (Node's built-in node:sqlite) in the wallet folder,
 * mode 0600, WAL with synchronous=FULL, so a batch is durable when its promise resolves. Each batch
 * method is ONE transaction (one fsync for the whole batch: group commit).
 *
 * Two tables: `entries`, the hash-chained history that `list` and `verify` read, and `ids`, the
 * current state per (chain, pending id) that claims read, kept in the same transactions. `verify`
 * checks both: the chain, and that every signed id's state is what its entries say.
 */
export class SqliteJournal implements SigningJournal {
  private readonly statements: Record<
    'id' | 'head' | 'setHead' | 'insertEntry' | 'insertId' | 'claimId' | 'signId' | 'outcomeId' | 'resealId',
    StatementSync
  >;

  /** The last entry while a transaction appends (undefined outside transactions). */
  private head?: { seq: number; hash: string };
  private appended = false;

  private constructor(
    private readonly db: DatabaseSync,
    private readonly readOnly: boolean,
  ) {
    const prepare = (sql: string) => db.prepare(sql);
    this.statements = readOnly
      ? ({
          id: prepare('SELECT * FROM ids WHERE chain = ? AND pending_id = ?'),
          head: prepare('SELECT seq, hash FROM entries ORDER BY seq DESC LIMIT 1'),
        } as SqliteJournal['statements'])
      : {
          id: prepare('SELECT * FROM ids WHERE chain = ? AND pending_id = ?'),
          head: prepare('SELECT seq, hash FROM entries ORDER BY seq DESC LIMIT 1'),
          setHead: prepare(
            "INSERT INTO meta (key, value) VALUES ('head', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
          ),
          insertEntry: prepare(
            'INSERT INTO entries (seq, time, kind, chain, pending_id, body, hash) VALUES (?, ?, ?, ?, ?, ?, ?)',
          ),
          insertId: prepare(
            `INSERT INTO ids (chain, pending_id, payload_hash, status, replica, lease_until)
             VALUES (?, ?, ?, 'claimed', ?, ?)`,
          ),
          claimId: prepare(
            'UPDATE ids SET payload_hash = ?, replica = ?, lease_until = ? WHERE chain = ? AND pending_id = ?',
          ),
          signId: prepare(
            `UPDATE ids SET status = 'signed', sealed_tx = ?, signed_tx_hash = ?, submitted_on_chain = ?,
             replica = ? WHERE chain = ? AND pending_id = ?`,
          ),
          outcomeId: prepare(
            `UPDATE ids SET last_outcome = ?, lease_until = CASE WHEN status = 'claimed' THEN 0 ELSE lease_until END
             WHERE chain = ? AND pending_id = ?`,
          ),
          resealId: prepare(
            `UPDATE ids SET sealed_tx = ? WHERE chain = ? AND pending_id = ? AND status = 'signed' AND sealed_tx = ?`,
          ),
        };
  }

  /**
   * Opens (creating it and its folder, 0700/0600, unless readOnly) the journal at `path`; ':memory:'
   * for a journal that lives as long as the object. JournalUnavailableError when it cannot.
   */
  static open(path: string, options: SqliteJournalOptions = {}): SqliteJournal {
    const readOnly = options.readOnly === true;
    let db: DatabaseSync;
    try {
      if (path !== ':memory:') {
        if (readOnly && !existsSync(path)) throw new Error('there is no journal file there');
        if (!readOnly) prepareFile(path);
      }
      const { DatabaseSync: Database } = require('node:sqlite') as typeof import('node:sqlite');
      db = new Database(path, { readOnly });
      db.exec('PRAGMA busy_timeout = 10000');
      if (!readOnly) {
        db.exec('PRAGMA journal_mode = WAL');
        db.exec('PRAGMA synchronous = FULL');
        db.exec(SCHEMA);
      }
    } catch (error) {
      throw new JournalUnavailableError(
        `The signing journal ${path} cannot be opened: ${(error as Error).message}`,
        { cause: error },
      );
    }
    const journal = new SqliteJournal(db, readOnly);
    if (options.releaseLeases && !readOnly) {
      db.exec("UPDATE ids SET lease_until = 0 WHERE status = 'claimed'");
    }
    return journal;
  }

  async claimMany(claims: readonly JournalClaim[], replica: string, leaseMs: number): Promise<ClaimResult[]> {
    return this.transaction(() => {
      const now = Date.now();
      return claims.map((claim): ClaimResult => {
        try {
          const row = this.row(claim.chain, claim.pendingId);
          if (!row) {
            this.statements.insertId.run(
              claim.chain,
              claim.pendingId,
              claim.payloadHash,
              replica,
              now + leaseMs,
            );
            this.append({
              kind: 'claimed',
              chain: claim.chain,
              pendingId: claim.pendingId,
              payloadHash: claim.payloadHash,
              replica,
            });
            return { kind: 'fresh' };
          }
          if (row.status === 'signed') {
            if (row.payload_hash !== claim.payloadHash) {
              return { kind: 'conflict', recordedPayloadHash: row.payload_hash };
            }
            if (!row.sealed_tx || !row.signed_tx_hash) {
              return { kind: 'unreadable', reason: 'the signed record of this id has no transaction' };
            }
            return {
              kind: 'signed',
              sealedTx: row.sealed_tx,
              signedTxHash: row.signed_tx_hash,
              submittedOnChain: row.submitted_on_chain === 1,
            };
          }
          if (row.replica !== replica && row.lease_until > now) {
            return { kind: 'held', replica: row.replica, until: new Date(row.lease_until) };
          }
          this.statements.claimId.run(
            claim.payloadHash,
            replica,
            now + leaseMs,
            claim.chain,
            claim.pendingId,
          );
          // a renewed lease of the same claim is not history; a new holder or payload is
          if (row.replica !== replica || row.payload_hash !== claim.payloadHash) {
            this.append({
              kind: 'claimed',
              chain: claim.chain,
              pendingId: claim.pendingId,
              payloadHash: claim.payloadHash,
              replica,
            });
          }
          return { kind: 'fresh' };
        } catch (error) {
          return {
            kind: 'unreadable',
            reason: `the journal could not read this id: ${(error as Error).message}`,
          };
        }
      });
    });
  }

  async recordSignedMany(records: readonly SignedRecord[]): Promise<void> {
    const refused = this.transaction(() => {
      const refusals: Array<{ pendingId: string; chain: string; reason: string }> = [];
      for (const record of records) {
        const refuse = (reason: string) =>
          refusals.push({ pendingId: record.pendingId, chain: record.chain, reason });
        const row = this.row(record.chain, record.pendingId);
        if (!row) {
          refuse('it was not claimed');
        } else if (row.status === 'signed') {
          if (row.signed_tx_hash !== record.signedTxHash || row.payload_hash !== record.payloadHash) {
            refuse('it was already signed with other bytes');
          }
        } else if (row.replica !== record.replica) {
          refuse(`another replica (${row.replica}) claimed it since`);
        } else if (row.payload_hash !== record.payloadHash) {
          refuse('it was claimed for another payload');
        } else {
          this.statements.signId.run(
            record.sealedTx,
            record.signedTxHash,
            record.submittedOnChain ? 1 : 0,
            record.replica,
            record.chain,
            record.pendingId,
          );
          this.append({
            kind: 'signed',
            chain: record.chain,
            pendingId: record.pendingId,
            payloadHash: record.payloadHash,
            signedTxHash: record.signedTxHash,
            sealedTx: record.sealedTx,
            wallets: record.wallets,
            amounts: record.amounts,
            replica: record.replica,
          });
        }
      }
      return refusals;
    });
    if (refused.length) throw new JournalRecordRefusedError(refused);
  }

  async recordOutcomeMany(records: readonly OutcomeRecord[]): Promise<void> {
    this.transaction(() => {
      for (const record of records) {
        const outcome = JSON.stringify([record.outcome, record.txId ?? null, record.reason ?? null]);
        const row = this.row(record.chain, record.pendingId);
        // the same outcome told again (a denied id served every cycle) is not new history
        if (row?.last_outcome === outcome) continue;
        this.statements.outcomeId.run(outcome, record.chain, record.pendingId);
        this.append({
          kind: record.outcome,
          chain: record.chain,
          pendingId: record.pendingId,
          txId: record.txId,
          reason: record.reason,
          replica: record.replica,
        });
      }
    });
  }

  async resealAll(reseal: Resealer, replica: string): Promise<number> {
    type Signed = {
      chain: string;
      pending_id: string;
      sealed_tx: string;
      payload_hash: string;
      signed_tx_hash: string;
    };
    // in the order of the sealed values: grouped by salt, so each old key is derived once
    const signed = this.db
      .prepare(
        `SELECT chain, pending_id, sealed_tx, payload_hash, signed_tx_hash FROM ids
         WHERE status = 'signed' AND sealed_tx IS NOT NULL ORDER BY sealed_tx`,
      )
      .all() as Signed[];
    const changed: Array<Signed & { resealed: string }> = [];
    for (const row of signed) {
      const resealed = await reseal(row.sealed_tx, { chain: row.chain, pendingId: row.pending_id });
      if (resealed !== row.sealed_tx) changed.push({ ...row, resealed });
    }
    if (changed.length === 0) return 0;
    return this.transaction(() => {
      let count = 0;
      for (const row of changed) {
        // only where the state still holds the value that was re-sealed
        const { changes } = this.statements.resealId.run(
          row.resealed,
          row.chain,
          row.pending_id,
          row.sealed_tx,
        );
        if (Number(changes) !== 1) continue;
        this.append({
          kind: 'resealed',
          chain: row.chain,
          pendingId: row.pending_id,
          payloadHash: row.payload_hash,
          signedTxHash: row.signed_tx_hash,
          sealedTx: row.resealed,
          replica,
        });
        count++;
      }
      return count;
    });
  }

  async *list(filter: JournalFilter = {}): AsyncIterable<JournalEntry> {
    const where: string[] = [];
    const params: string[] = [];
    const add = (condition: string, value: string) => {
      where.push(condition);
      params.push(value);
    };
    if (filter.since) add('time >= ?', filter.since.toISOString());
    if (filter.chain) add('chain = ?', filter.chain.toUpperCase());
    if (filter.outcome) add('kind = ?', filter.outcome);
    const sql = `SELECT * FROM entries ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq`;
    for (const row of this.db.prepare(sql).iterate(...params) as Iterable<EntryRow>) {
      yield { ...(JSON.parse(row.body) as Omit<JournalEntry, 'hash'>), hash: row.hash };
    }
  }

  async verify(): Promise<JournalVerdict> {
    let entries = 0;
    let prevHash = GENESIS_HASH;
    let lastSeq = 0;
    const signed = new Map<string, { seq: number; body: JournalEntry }>();
    const bad = (seq: number, reason: string): JournalVerdict => ({
      ok: false,
      entries,
      firstBadSeq: seq,
      reason,
    });
    for (const row of this.db.prepare('SELECT * FROM entries ORDER BY seq').iterate() as Iterable<EntryRow>) {
      entries++;
      let body: Omit<JournalEntry, 'hash'>;
      try {
        body = JSON.parse(row.body) as Omit<JournalEntry, 'hash'>;
      } catch {
        return bad(row.seq, 'the entry is not readable');
      }
      if (row.seq !== lastSeq + 1) return bad(lastSeq + 1, `entry ${lastSeq + 1} is missing`);
      if (body.seq !== row.seq) return bad(row.seq, 'the entry was moved');
      if (body.prevHash !== prevHash) return bad(row.seq, 'the entry before it was edited, removed or moved');
      if (entryHash(body) !== row.hash) return bad(row.seq, 'the entry was edited');
      if (
        body.kind !== row.kind ||
        body.chain !== row.chain ||
        body.pendingId !== row.pending_id ||
        body.time !== row.time
      ) {
        return bad(row.seq, 'the entry was edited');
      }
      const id = JSON.stringify([body.chain, body.pendingId]);
      if (body.kind === 'signed') signed.set(id, { seq: row.seq, body: body as JournalEntry });
      if (body.kind === 'resealed') {
        // the same signed transaction sealed anew: it must follow that id's `signed` entry
        const before = signed.get(id);
        if (
          !before ||
          before.body.signedTxHash !== body.signedTxHash ||
          before.body.payloadHash !== body.payloadHash
        ) {
          return bad(row.seq, 'the entry re-seals a transaction that was not signed');
        }
        signed.set(id, { seq: row.seq, body: body as JournalEntry });
      }
      prevHash = row.hash;
      lastSeq = row.seq;
    }
    const head = this.db.prepare("SELECT value FROM meta WHERE key = 'head'").get() as
      { value: string } | undefined;
    const expectedHead = head
      ? (JSON.parse(head.value) as { seq: number; hash: string })
      : { seq: 0, hash: GENESIS_HASH };
    if (expectedHead.seq === lastSeq && expectedHead.hash !== prevHash) {
      return bad(lastSeq, 'the last entry was edited');
    }
    if (expectedHead.seq !== lastSeq) {
      return bad(Math.min(lastSeq, expectedHead.seq) + 1, 'entries at the end were removed or added');
    }
    for (const row of this.db.prepare("SELECT * FROM ids WHERE status = 'signed'").iterate() as Iterable<
      IdRow & { chain: string; pending_id: string }
    >) {
      const entry = signed.get(JSON.stringify([row.chain, row.pending_id]));
      if (
        !entry ||
        entry.body.sealedTx !== row.sealed_tx ||
        entry.body.signedTxHash !== row.signed_tx_hash ||
        entry.body.payloadHash !== row.payload_hash
      ) {
        return bad(
          entry?.seq ?? 0,
          `the signed state of ${row.chain} ${row.pending_id} differs from its entries`,
        );
      }
    }
    return { ok: true, entries };
  }

  async close(): Promise<void> {
    if (this.db.isOpen) this.db.close();
  }

  private row(chain: string, pendingId: string): IdRow | undefined {
    return this.statements.id.get(chain, pendingId) as IdRow | undefined;
  }

  /** Appends one entry to the chain; only inside transaction() (which writes the new head at commit). */
  private append(fields: NewEntry): void {
    const head = (this.head ??= (this.statements.head.get() as { seq: number; hash: string } | undefined) ?? {
      seq: 0,
      hash: GENESIS_HASH,
    });
    const body: Omit<JournalEntry, 'hash'> = {
      ...stripUndefined(fields),
      seq: head.seq + 1,
      time: new Date().toISOString(),
      prevHash: head.hash,
    };
    const hash = entryHash(body);
    this.head = { seq: body.seq, hash };
    this.appended = true;
    this.statements.insertEntry.run(
      body.seq,
      body.time,
      body.kind,
      body.chain,
      body.pendingId,
      JSON.stringify(body),
      hash,
    );
  }

  /** One IMMEDIATE transaction (the write lock at once): durable at COMMIT, undone on any throw. */
  private transaction<T>(work: () => T): T {
    if (this.readOnly) throw new JournalUnavailableError('The signing journal is open read-only');
    this.db.exec('BEGIN IMMEDIATE');
    // the head is read once per transaction, inside it (another writer may have appended meanwhile)
    this.head = undefined;
    this.appended = false;
    try {
      const result = work();
      if (this.appended) this.statements.setHead.run(JSON.stringify(this.head));
      this.db.exec('COMMIT');
      return result;
    } catch (error) {
      if (this.db.isTransaction) this.db.exec('ROLLBACK');
      throw error;
    } finally {
      this.head = undefined;
    }
  }
}

/** The folder (0700) and an empty file (0600) before SQLite opens it, so no moment is world-readable. */
function prepareFile(path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  closeSync(openSync(path, 'a', 0o600));
  chmodSync(path, 0o600);
}

function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}
