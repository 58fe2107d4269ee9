import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { Client } from 'pg';
import { usePostgresDatabase } from '@kms/test-support/postgres';
import { journalContract } from '../testing/journal-contract';
import { entryHash, GENESIS_HASH } from '../entry-hash';
import type { ClaimResult, JournalEntry, SignedRecord, SigningJournal } from '../journal.port';
import { JournalRecordRefusedError, NO_JOURNAL_CODE } from '../journal.errors';
import { PostgresJournal } from './postgres-journal';
import { redactPostgresUrl } from './postgres-url';

/**
 * The PostgreSQL adapter against a real server (test/support/postgres.ts: a throwaway one, or
 * TATUM_KMS_TEST_PG_URL). The first `describe` holds the adapter-neutral rules of the port, written
 * against a `SigningJournal` factory only, so the shared contract suite can replace it with one call;
 * the others need PostgreSQL itself (tampering with rows, two pools as two replicas, the connection
 * string's password).
 */
const pg = usePostgresDatabase();
const LONG = 60_000;
let counter = 0;
/** A pending id no other test uses (the tests share one database). */
const newId = (): string => `pending-${process.pid}-${++counter}`;
const sha = (text: string): string => createHash('sha256').update(text).digest('hex');

function signedRecord(pendingId: string, payload: string, tx: string, replica = 'r1'): SignedRecord {
  return {
    pendingId,
    chain: 'ETH',
    payloadHash: sha(payload),
    sealedTx: `sealed:${tx}`,
    signedTxHash: sha(tx),
    submittedOnChain: false,
    wallets: ['0xabc'],
    amounts: [{ asset: 'ETH', value: '1000' }],
    replica,
  };
}

async function collect(iterable: AsyncIterable<JournalEntry>): Promise<JournalEntry[]> {
  const out: JournalEntry[] = [];
  for await (const entry of iterable) out.push(entry);
  return out;
}

async function sql<T extends object = Record<string, unknown>>(
  text: string,
  params: unknown[] = [],
): Promise<T[]> {
  const client = new Client({ connectionString: pg.url() });
  await client.connect();
  try {
    return (await client.query<T>(text, params)).rows;
  } finally {
    await client.end();
  }
}

/**
 * The adapter as the shared contract suite takes it (`journalContract('PostgresJournal', pgUnderTest)`
 * of libs/journal/src/testing/journal-contract.ts): a fresh database per test, and the means to damage
 * its chain behind the adapter's back.
 */
async function pgUnderTest() {
  const url = await pg.server().createDatabase();
  const journal = await PostgresJournal.open(url);
  const run = async (text: string, params: unknown[] = []) => {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(text, params);
    } finally {
      await client.end();
    }
  };
  return {
    journal,
    tamper: {
      async edit(seq: number, rehash: boolean) {
        let entry: JournalEntry | undefined;
        for await (const candidate of journal.list()) if (candidate.seq === seq) entry = candidate;
        const { hash: _hash, ...edited } = entry!;
        if (edited.signedTxHash) edited.signedTxHash = 'f'.repeat(64);
        else edited.pendingId = `${edited.pendingId}-edited`;
        await run(
          `UPDATE kms_journal_entries SET signed_tx_hash = $1, pending_id = $2, hash = CASE WHEN $3 THEN $4 ELSE hash END WHERE seq = $5`,
          [edited.signedTxHash ?? null, edited.pendingId, rehash, entryHash(edited), seq],
        );
      },
      remove: (seq: number) => run('DELETE FROM kms_journal_entries WHERE seq = $1', [seq]),
      async swap(a: number, b: number) {
        await run('UPDATE kms_journal_entries SET seq = -1 WHERE seq = $1', [a]);
        await run('UPDATE kms_journal_entries SET seq = $1 WHERE seq = $2', [a, b]);
        await run('UPDATE kms_journal_entries SET seq = $1 WHERE seq = -1', [b]);
      },
    },
    dispose: () => journal.close(),
  };
}
journalContract('PostgresJournal', pgUnderTest);

const dropTables = () =>
  sql('DROP TABLE IF EXISTS kms_journal_entries, kms_journal_tail, kms_journal_state, kms_journal_meta');

describe('PostgresJournal: the port contract', () => {
  let journal: SigningJournal;
  beforeAll(async () => (journal = await PostgresJournal.open(pg.url())));
  afterAll(() => journal.close());

  it('answers fresh for a new id, then signed with the recorded bytes for the same payload', async () => {
    const id = newId();
    const claim = { pendingId: id, chain: 'ETH', payloadHash: sha('p') };
    expect(await journal.claimMany([claim], 'r1', LONG)).toEqual([{ kind: 'fresh' }]);
    await journal.recordSignedMany([signedRecord(id, 'p', 'tx1')]);
    expect(await journal.claimMany([claim], 'r2', LONG)).toEqual([
      { kind: 'signed', sealedTx: 'sealed:tx1', signedTxHash: sha('tx1'), submittedOnChain: false },
    ]);
  });

  it('answers conflict for another payload, signed or only claimed, and never fresh', async () => {
    const signed = newId();
    const claimedOnly = newId();
    await journal.claimMany(
      [
        { pendingId: signed, chain: 'ETH', payloadHash: sha('a') },
        { pendingId: claimedOnly, chain: 'ETH', payloadHash: sha('a') },
      ],
      'r1',
      LONG,
    );
    await journal.recordSignedMany([signedRecord(signed, 'a', 'tx')]);
    const answers = await journal.claimMany(
      [
        { pendingId: signed, chain: 'ETH', payloadHash: sha('b') },
        { pendingId: claimedOnly, chain: 'ETH', payloadHash: sha('b') },
      ],
      'r1',
      LONG,
    );
    expect(answers).toEqual([
      { kind: 'conflict', recordedPayloadHash: sha('a') },
      { kind: 'conflict', recordedPayloadHash: sha('a') },
    ]);
  });

  it("answers held while another replica's lease lives, fresh again for the lease holder", async () => {
    const id = newId();
    const claim = { pendingId: id, chain: 'ETH', payloadHash: sha('p') };
    await journal.claimMany([claim], 'r1', LONG);
    const [held] = await journal.claimMany([claim], 'r2', LONG);
    expect(held).toMatchObject({ kind: 'held', replica: 'r1' });
    expect((held as Extract<ClaimResult, { kind: 'held' }>).until.getTime()).toBeGreaterThan(
      Date.now() + LONG / 2,
    );
    expect(await journal.claimMany([claim], 'r1', LONG)).toEqual([{ kind: 'fresh' }]);
  });

  it('answers in input order, one answer per item; the same id twice in a batch is fresh once, each occurrence judged', async () => {
    const ids = [newId(), newId(), newId()];
    await journal.claimMany([{ pendingId: ids[1], chain: 'ETH', payloadHash: sha('x') }], 'r1', LONG);
    await journal.recordSignedMany([signedRecord(ids[1], 'x', 'tx')]);
    const answers = await journal.claimMany(
      [
        { pendingId: ids[2], chain: 'ETH', payloadHash: sha('x') },
        { pendingId: ids[1], chain: 'ETH', payloadHash: sha('y') },
        { pendingId: ids[0], chain: 'ETH', payloadHash: sha('x') },
        { pendingId: ids[0], chain: 'ETH', payloadHash: sha('x') },
        { pendingId: ids[0], chain: 'ETH', payloadHash: sha('z') },
        { pendingId: ids[1], chain: 'ETH', payloadHash: sha('x') },
      ],
      'r1',
      LONG,
    );
    expect(answers.map((answer) => answer.kind)).toEqual([
      'fresh',
      'conflict',
      'fresh',
      'held',
      'conflict',
      'signed',
    ]);
  });

  it('keys state by pending id AND chain', async () => {
    const id = newId();
    await journal.claimMany([{ pendingId: id, chain: 'ETH', payloadHash: sha('p') }], 'r1', LONG);
    expect(
      await journal.claimMany([{ pendingId: id, chain: 'BSC', payloadHash: sha('q') }], 'r2', LONG),
    ).toEqual([{ kind: 'fresh' }]);
  });

  it('keeps one signed transaction per id: the same record again is a no-op, another is refused', async () => {
    const id = newId();
    await journal.claimMany([{ pendingId: id, chain: 'ETH', payloadHash: sha('p') }], 'r1', LONG);
    await journal.recordSignedMany([signedRecord(id, 'p', 'tx1')]);
    await journal.recordSignedMany([signedRecord(id, 'p', 'tx1')]);
    await expect(journal.recordSignedMany([signedRecord(id, 'p', 'tx2')])).rejects.toBeInstanceOf(
      JournalRecordRefusedError,
    );
    const entries = await collect(journal.list({ outcome: 'signed' }));
    expect(entries.filter((entry) => entry.pendingId === id).map((entry) => entry.signedTxHash)).toEqual([
      sha('tx1'),
    ]);
    const [answer] = await journal.claimMany(
      [{ pendingId: id, chain: 'ETH', payloadHash: sha('p') }],
      'r1',
      LONG,
    );
    expect(answer).toMatchObject({ kind: 'signed', signedTxHash: sha('tx1') });
  });

  it('refuses a signed record while another replica holds the lease, keeping the rest of the batch', async () => {
    const taken = newId();
    const mine = newId();
    await journal.claimMany([{ pendingId: taken, chain: 'ETH', payloadHash: sha('p') }], 'r2', LONG);
    await journal.claimMany([{ pendingId: mine, chain: 'ETH', payloadHash: sha('p') }], 'r1', LONG);
    const refusal = await journal
      .recordSignedMany([signedRecord(taken, 'p', 'a', 'r1'), signedRecord(mine, 'p', 'b', 'r1')])
      .catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(JournalRecordRefusedError);
    expect((refusal as JournalRecordRefusedError).refused).toEqual([
      { pendingId: taken, chain: 'ETH', reason: 'replica r2 holds its lease' },
    ]);
    const [takenAnswer, mineAnswer] = await journal.claimMany(
      [
        { pendingId: taken, chain: 'ETH', payloadHash: sha('p') },
        { pendingId: mine, chain: 'ETH', payloadHash: sha('p') },
      ],
      'r3',
      LONG,
    );
    expect(takenAnswer.kind).toBe('held');
    expect(mineAnswer).toMatchObject({ kind: 'signed', signedTxHash: sha('b') });
  });

  it('remembers a self-submitting chain recorded before sending', async () => {
    const id = newId();
    await journal.claimMany([{ pendingId: id, chain: 'SOL', payloadHash: sha('p') }], 'r1', LONG);
    await journal.recordSignedMany([
      { ...signedRecord(id, 'p', 'sol'), chain: 'SOL', submittedOnChain: true },
    ]);
    const [answer] = await journal.claimMany(
      [{ pendingId: id, chain: 'SOL', payloadHash: sha('p') }],
      'r2',
      LONG,
    );
    expect(answer).toEqual({
      kind: 'signed',
      sealedTx: 'sealed:sol',
      signedTxHash: sha('sol'),
      submittedOnChain: true,
    });
  });

  it('releases the lease with an outcome, so another replica may claim a never-signed id', async () => {
    const id = newId();
    const claim = { pendingId: id, chain: 'ETH', payloadHash: sha('p') };
    await journal.claimMany([claim], 'r1', LONG);
    await journal.recordOutcomeMany([
      { pendingId: id, chain: 'ETH', outcome: 'denied', reason: 'rejected', replica: 'r1' },
    ]);
    expect(await journal.claimMany([claim], 'r2', LONG)).toEqual([{ kind: 'fresh' }]);
  });

  it('lists entries in order with their kinds, filtered by chain, kind and time, every entry chained', async () => {
    const id = newId();
    const before = new Date(Date.now() - 60_000);
    await journal.claimMany([{ pendingId: id, chain: 'TRON', payloadHash: sha('p') }], 'r1', LONG);
    await journal.recordSignedMany([{ ...signedRecord(id, 'p', 'trx'), chain: 'TRON' }]);
    await journal.recordOutcomeMany([
      { pendingId: id, chain: 'TRON', outcome: 'broadcast', txId: 'txid-1', replica: 'r1' },
    ]);
    const tron = await collect(journal.list({ chain: 'TRON' }));
    expect(tron.map((entry) => entry.kind)).toEqual(['claimed', 'signed', 'broadcast']);
    expect(tron[1]).toMatchObject({
      pendingId: id,
      payloadHash: sha('p'),
      signedTxHash: sha('trx'),
      sealedTx: 'sealed:trx',
      wallets: ['0xabc'],
      amounts: [{ asset: 'ETH', value: '1000' }],
      replica: 'r1',
    });
    expect(tron[2]).toMatchObject({ txId: 'txid-1' });
    expect(tron[1].seq).toBeGreaterThan(tron[0].seq);
    expect(tron[2].seq).toBeGreaterThan(tron[1].seq);
    expect((await collect(journal.list({ chain: 'TRON', outcome: 'broadcast' }))).map((e) => e.seq)).toEqual([
      tron[2].seq,
    ]);
    expect(await collect(journal.list({ chain: 'TRON', since: new Date(Date.now() + 60_000) }))).toEqual([]);
    expect((await collect(journal.list({ chain: 'TRON', since: before }))).length).toBe(3);

    const all = await collect(journal.list());
    expect(all[0].prevHash).toBe(GENESIS_HASH);
    all.slice(1).forEach((entry, index) => expect(entry.prevHash).toBe(all[index].hash));
    expect(await journal.verify()).toEqual({ ok: true, entries: all.length });
  });

  it('refuses to record a signed transaction of an id never claimed', async () => {
    await expect(journal.recordSignedMany([signedRecord(newId(), 'p', 'tx')])).rejects.toBeInstanceOf(
      JournalRecordRefusedError,
    );
  });

  it('opens read-only for list and verify: reads, writes nothing, and needs an existing journal', async () => {
    const reader = await PostgresJournal.open(pg.url(), { readOnly: true });
    try {
      expect((await reader.verify()).ok).toBe(true);
      await expect(
        reader.claimMany([{ pendingId: newId(), chain: 'ETH', payloadHash: sha('p') }], 'r', LONG),
      ).rejects.toThrow(/read-only/);
    } finally {
      await reader.close();
    }
    const empty = await pg.server().createDatabase();
    await expect(PostgresJournal.open(empty, { readOnly: true })).rejects.toThrow(/holds no signing journal/);
    // changepassword: only an existing journal, opened for writing, or an error saying there is none
    await expect(PostgresJournal.open(empty, { existing: true })).rejects.toMatchObject({
      code: NO_JOURNAL_CODE,
    });
    const writer = await PostgresJournal.open(pg.url(), { existing: true });
    await expect(writer.resealAll(async (sealed) => sealed, 'r')).resolves.toBe(0);
    await writer.close();
    const client = new Client({ connectionString: empty });
    await client.connect();
    const tables = await client.query(`SELECT tablename FROM pg_tables WHERE tablename LIKE 'kms_journal%'`);
    await client.end();
    expect(tables.rows).toEqual([]);
  });

  it('keeps everything across a reopen (another process, same database)', async () => {
    const id = newId();
    await journal.claimMany([{ pendingId: id, chain: 'ETH', payloadHash: sha('p') }], 'r1', LONG);
    await journal.recordSignedMany([signedRecord(id, 'p', 'durable')]);
    const reopened = await PostgresJournal.open(pg.url());
    try {
      const [answer] = await reopened.claimMany(
        [{ pendingId: id, chain: 'ETH', payloadHash: sha('p') }],
        'r9',
        LONG,
      );
      expect(answer).toMatchObject({ kind: 'signed', sealedTx: 'sealed:durable' });
      expect((await reopened.verify()).ok).toBe(true);
    } finally {
      await reopened.close();
    }
  });
});

describe('PostgresJournal: leases on the database clock', () => {
  let journal: PostgresJournal;
  beforeAll(async () => (journal = await PostgresJournal.open(pg.url())));
  afterAll(() => journal.close());

  /** Ends the lease of `id` as a dead replica's would end: its time passed on the database clock. */
  const expire = (id: string) =>
    sql(
      `UPDATE kms_journal_state SET lease_until = clock_timestamp() - interval '1 second' WHERE pending_id = $1`,
      [id],
    );

  it('lets another replica claim an id whose holder died before signing', async () => {
    const id = newId();
    const claim = { pendingId: id, chain: 'ETH', payloadHash: sha('p') };
    await journal.claimMany([claim], 'dead', LONG);
    await expire(id);
    expect(await journal.claimMany([claim], 'alive', LONG)).toEqual([{ kind: 'fresh' }]);
    expect((await journal.claimMany([claim], 'dead', LONG))[0]).toMatchObject({
      kind: 'held',
      replica: 'alive',
    });
    // the dead replica, come back, may not record what it signed before it lost the lease
    await expect(journal.recordSignedMany([signedRecord(id, 'p', 'late', 'dead')])).rejects.toBeInstanceOf(
      JournalRecordRefusedError,
    );
  });

  it('answers signed, never fresh, for an expired lease whose holder recorded a signature', async () => {
    const id = newId();
    const claim = { pendingId: id, chain: 'ETH', payloadHash: sha('p') };
    await journal.claimMany([claim], 'dead', LONG);
    await journal.recordSignedMany([signedRecord(id, 'p', 'recorded', 'dead')]);
    await expire(id);
    expect(await journal.claimMany([claim], 'alive', LONG)).toEqual([
      { kind: 'signed', sealedTx: 'sealed:recorded', signedTxHash: sha('recorded'), submittedOnChain: false },
    ]);
  });

  it('sets the lease from the database clock', async () => {
    const id = newId();
    await journal.claimMany([{ pendingId: id, chain: 'ETH', payloadHash: sha('p') }], 'r1', 90_000);
    const [row] = await sql<{ seconds: number }>(
      `SELECT extract(epoch FROM lease_until - clock_timestamp())::float AS seconds FROM kms_journal_state WHERE pending_id = $1`,
      [id],
    );
    expect(row.seconds).toBeGreaterThan(60);
    expect(row.seconds).toBeLessThanOrEqual(90);
  });
});

describe('PostgresJournal: verify detects tampering', () => {
  let journal: PostgresJournal;
  beforeEach(async () => {
    // each test tampers: a clean chain first (the tables are this spec's own)
    await sql(
      'DROP TABLE IF EXISTS kms_journal_entries, kms_journal_tail, kms_journal_state, kms_journal_meta',
    );
    journal = await PostgresJournal.open(pg.url());
    for (let i = 0; i < 5; i++) {
      const id = `tamper-${i}`;
      await journal.claimMany([{ pendingId: id, chain: 'ETH', payloadHash: sha('p') }], 'r1', LONG);
      await journal.recordSignedMany([signedRecord(id, 'p', `tx${i}`)]);
    }
    expect(await journal.verify()).toEqual({ ok: true, entries: 10 });
  });
  afterEach(() => journal.close());
  // the later describes start from an untampered chain
  afterAll(() => dropTables());

  it('an edited entry', async () => {
    await sql(`UPDATE kms_journal_entries SET signed_tx_hash = $1 WHERE seq = 4`, [sha('other')]);
    expect(await journal.verify()).toEqual({
      ok: false,
      entries: 4,
      firstBadSeq: 4,
      reason: expect.stringContaining('edited'),
    });
  });

  it("a resealed entry whose hashes are not its signed entry's, although chain and tail were re-hashed", async () => {
    const resealed = await journal.resealAll(
      async (sealed, { pendingId }) => (pendingId === 'tamper-0' ? 'resealed' : sealed),
      'changepassword',
    );
    expect(resealed).toBe(1);
    expect(await journal.verify()).toEqual({ ok: true, entries: 11 });
    const [entry] = await collect(journal.list({ outcome: 'resealed' }));
    const { hash: _old, ...forged } = { ...entry, signedTxHash: sha('other') };
    await sql(`UPDATE kms_journal_entries SET signed_tx_hash = $1, hash = $2 WHERE seq = 11`, [
      forged.signedTxHash,
      entryHash(forged),
    ]);
    await sql(`UPDATE kms_journal_tail SET hash = $1`, [entryHash(forged)]);
    expect(await journal.verify()).toMatchObject({
      ok: false,
      firstBadSeq: 11,
      reason: expect.stringContaining('re-seals a transaction that was not signed'),
    });
  });

  it('an entry edited and re-hashed (the next one no longer follows it)', async () => {
    const [entry] = await collect(journal.list({ outcome: 'signed' }));
    const { hash: _old, ...rest } = { ...entry, reason: 'forged' };
    await sql(`UPDATE kms_journal_entries SET reason = 'forged', hash = $1 WHERE seq = $2`, [
      entryHash(rest),
      entry.seq,
    ]);
    const verdict = await journal.verify();
    expect(verdict).toMatchObject({ ok: false, firstBadSeq: entry.seq + 1 });
  });

  it('a removed entry', async () => {
    await sql(`DELETE FROM kms_journal_entries WHERE seq = 6`);
    expect(await journal.verify()).toMatchObject({
      ok: false,
      firstBadSeq: 6,
      reason: expect.stringContaining('missing'),
    });
  });

  it('a removed last entry', async () => {
    await sql(`DELETE FROM kms_journal_entries WHERE seq = 10`);
    expect(await journal.verify()).toMatchObject({
      ok: false,
      firstBadSeq: 10,
      reason: expect.stringContaining('missing'),
    });
  });

  it('a removed entry with the later ones renumbered', async () => {
    await sql(`DELETE FROM kms_journal_entries WHERE seq = 3`);
    await sql(`UPDATE kms_journal_entries SET seq = seq - 1 WHERE seq > 3`);
    await sql(`UPDATE kms_journal_tail SET seq = 9`);
    expect(await journal.verify()).toMatchObject({ ok: false, firstBadSeq: 3 });
  });

  it('two entries swapped', async () => {
    await sql(`UPDATE kms_journal_entries SET seq = -7 WHERE seq = 7`);
    await sql(`UPDATE kms_journal_entries SET seq = 7 WHERE seq = 8`);
    await sql(`UPDATE kms_journal_entries SET seq = 8 WHERE seq = -7`);
    expect(await journal.verify()).toMatchObject({ ok: false, firstBadSeq: 7 });
  });
});

describe('PostgresJournal: several replicas on one database', () => {
  it('gives each of 1,000 ids claimed at once by two replicas (two pools) exactly one fresh', async () => {
    const [a, b] = await Promise.all([PostgresJournal.open(pg.url()), PostgresJournal.open(pg.url())]);
    try {
      const ids = Array.from({ length: 1_000 }, (_, i) => `race-${i}`);
      const claimAll = async (journal: PostgresJournal, replica: string, order: string[]) => {
        const batches: string[][] = [];
        for (let i = 0; i < order.length; i += 50) batches.push(order.slice(i, i + 50));
        const fresh: string[] = [];
        // four batches in flight per replica: as many as its pool has connections
        for (let i = 0; i < batches.length; i += 4) {
          const answers = await Promise.all(
            batches.slice(i, i + 4).map(async (batch) => {
              const results = await journal.claimMany(
                batch.map((pendingId) => ({ pendingId, chain: 'ETH', payloadHash: sha(pendingId) })),
                replica,
                LONG,
              );
              return batch.filter((_, index) => results[index].kind === 'fresh');
            }),
          );
          fresh.push(...answers.flat());
        }
        await journal.recordSignedMany(fresh.map((id) => signedRecord(id, id, `${replica}:${id}`, replica)));
        return fresh;
      };
      const shuffled = [...ids].sort(() => Math.random() - 0.5);
      const [freshA, freshB] = await Promise.all([claimAll(a, 'a', ids), claimAll(b, 'b', shuffled)]);
      expect(freshA.length + freshB.length).toBe(1_000);
      expect(new Set([...freshA, ...freshB]).size).toBe(1_000);

      // every id answers `signed` with the bytes of the replica that claimed it, to both
      const check = await b.claimMany(
        ids.map((pendingId) => ({ pendingId, chain: 'ETH', payloadHash: sha(pendingId) })),
        'c',
        LONG,
      );
      const owner = new Map([
        ...freshA.map((id) => [id, 'a'] as const),
        ...freshB.map((id) => [id, 'b'] as const),
      ]);
      check.forEach((answer, index) =>
        expect(answer).toMatchObject({
          kind: 'signed',
          sealedTx: `sealed:${owner.get(ids[index])}:${ids[index]}`,
        }),
      );
      const verdict = await a.verify();
      expect(verdict.ok).toBe(true);
      const race = (await collect(a.list())).filter((entry) => entry.pendingId.startsWith('race-'));
      expect(race.filter((entry) => entry.kind === 'claimed')).toHaveLength(1_000);
      expect(race.filter((entry) => entry.kind === 'signed')).toHaveLength(1_000);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  }, 120_000);
});

describe('PostgresJournal: a replica SIGKILLed mid-batch', () => {
  const REPLICA = join(__dirname, '..', '..', '..', '..', 'test', 'support', 'journal-pg-replica.js');
  const IDS = 600;
  const ROUNDS = 8;

  /** Runs a replica process until it printed `batches` committed batches, then SIGKILLs it. */
  async function killAfter(replica: string, batches: number): Promise<void> {
    const start = String(Math.floor(Math.random() * IDS));
    const child = spawn(process.execPath, [REPLICA, replica, String(IDS), start], {
      env: { PATH: process.env.PATH, TATUM_KMS_JOURNAL: pg.url() },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    await new Promise<void>((resolve, reject) => {
      let seen = 0;
      child.stdout!.on('data', (chunk: Buffer) => {
        seen += chunk.toString().split('batch').length - 1;
        if (seen >= batches) resolve();
      });
      child.once('exit', (code) =>
        reject(new Error(`replica exited (${code}) before ${batches} batches: ${stderr}`)),
      );
    });
    // somewhere inside its next batch: between statements, or inside a transaction
    await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 40)));
    child.kill('SIGKILL');
    await exited;
  }

  it('leaves a valid chain and at most one signed transaction per id, finished by the survivors', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      await killAfter(`victim-${round}`, 1 + Math.floor(Math.random() * 6));
      // the dead replica's leases run out (on the database clock)
      await sql(
        `UPDATE kms_journal_state SET lease_until = clock_timestamp() - interval '1 second' WHERE lease_replica = $1`,
        [`victim-${round}`],
      );
    }
    const survivor = await PostgresJournal.open(pg.url());
    try {
      const ids = Array.from({ length: IDS }, (_, i) => `crash-${i}`);
      const claims = ids.map((pendingId) => ({ pendingId, chain: 'ETH', payloadHash: sha(pendingId) }));
      const answers = await survivor.claimMany(claims, 'survivor', LONG);
      expect(answers.filter((answer) => answer.kind !== 'fresh' && answer.kind !== 'signed')).toEqual([]);
      const fresh = ids.filter((_, i) => answers[i].kind === 'fresh');
      await survivor.recordSignedMany(fresh.map((id) => signedRecord(id, id, `survivor:${id}`, 'survivor')));
      const again = await survivor.claimMany(claims, 'survivor', LONG);
      expect(again.every((answer) => answer.kind === 'signed')).toBe(true);

      expect((await survivor.verify()).ok).toBe(true);
      const signed = new Map<string, number>();
      for await (const entry of survivor.list({ outcome: 'signed' })) {
        if (entry.pendingId.startsWith('crash-'))
          signed.set(entry.pendingId, (signed.get(entry.pendingId) ?? 0) + 1);
      }
      expect(signed.size).toBe(IDS);
      expect([...signed.values()].every((count) => count === 1)).toBe(true);
      // the signed bytes recorded are the ones the journal answers, for every id
      again.forEach((answer, i) => {
        const recorded = answer as Extract<ClaimResult, { kind: 'signed' }>;
        expect(recorded.signedTxHash).toBe(sha(recorded.sealedTx.replace(/^sealed:/, '')));
        expect(recorded.sealedTx.endsWith(`:${ids[i]}`)).toBe(true);
      });
    } finally {
      await survivor.close();
    }
  }, 180_000);
});

describe('PostgresJournal: the connection string', () => {
  it('never shows its password in an error', async () => {
    const url = new URL(pg.url());
    url.password = 'not-the-password-s3cr3t';
    const error = await PostgresJournal.open(url.toString(), { connectTimeoutMs: 5_000 }).catch(
      (e: Error) => e,
    );
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/cannot open the journal database/);
    expect((error as Error).message).not.toContain('not-the-password-s3cr3t');
    expect((error as Error).stack).not.toContain('not-the-password-s3cr3t');
  });

  it('shows where it connects without the password', async () => {
    const journal = await PostgresJournal.open(pg.url());
    try {
      const password = new URL(pg.url()).password;
      expect(journal.location).not.toContain(password);
      expect(journal.location).toBe(redactPostgresUrl(pg.url()));
      expect(journal.location).toContain(':***@');
    } finally {
      await journal.close();
    }
  });

  it('refuses a database written by a newer schema', async () => {
    await sql('UPDATE kms_journal_meta SET schema_version = 999');
    try {
      await expect(PostgresJournal.open(pg.url())).rejects.toThrow(/schema version 999/);
    } finally {
      await sql('UPDATE kms_journal_meta SET schema_version = 1');
    }
  });
});
