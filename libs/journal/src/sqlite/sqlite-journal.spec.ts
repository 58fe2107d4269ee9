import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { entryHash } from '../entry-hash';
import { JournalMissingError } from '../journal.errors';
import { openSigningJournal } from '../open-journal';
import { journalContract } from '../testing/journal-contract';
import { SqliteJournal } from './sqlite-journal';

/** Damages the journal file behind the adapter's back, as someone with write access to it could. */
function tamperer(path: string) {
  const withDb = (work: (db: DatabaseSync) => void) => {
    const db = new DatabaseSync(path);
    try {
      work(db);
    } finally {
      db.close();
    }
  };
  return {
    async edit(seq: number, rehash: boolean) {
      withDb((db) => {
        const row = db.prepare('SELECT body FROM entries WHERE seq = ?').get(seq) as { body: string };
        const body = JSON.parse(row.body);
        if (body.signedTxHash) body.signedTxHash = 'f'.repeat(64);
        else body.pendingId = `${body.pendingId}-edited`;
        db.prepare('UPDATE entries SET body = ? WHERE seq = ?').run(JSON.stringify(body), seq);
        if (rehash) db.prepare('UPDATE entries SET hash = ? WHERE seq = ?').run(entryHash(body), seq);
      });
    },
    async remove(seq: number) {
      withDb((db) => db.prepare('DELETE FROM entries WHERE seq = ?').run(seq));
    },
    async swap(a: number, b: number) {
      withDb((db) => {
        db.exec('BEGIN');
        db.prepare('UPDATE entries SET seq = -1 WHERE seq = ?').run(a);
        db.prepare('UPDATE entries SET seq = ? WHERE seq = ?').run(a, b);
        db.prepare('UPDATE entries SET seq = ? WHERE seq = -1').run(b);
        db.exec('COMMIT');
      });
    },
  };
}

journalContract('SqliteJournal', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kms-journal-'));
  const path = join(dir, 'journal.sqlite');
  const journal = SqliteJournal.open(path);
  return {
    journal,
    tamper: tamperer(path),
    dispose: async () => {
      await journal.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe('SqliteJournal (embedded specifics)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kms-journal-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('opened as `existing` (changepassword): a missing file is JournalMissingError and stays missing', async () => {
    const path = join(dir, 'none', 'journal.sqlite');
    await expect(openSigningJournal({ embeddedPath: path, existing: true })).rejects.toBeInstanceOf(
      JournalMissingError,
    );
    expect(() => statSync(join(dir, 'none'))).toThrow();
    const created = SqliteJournal.open(path);
    await created.close();
    const opened = await openSigningJournal({ embeddedPath: path, existing: true });
    expect(await opened.resealAll(async (sealed) => sealed, 'r')).toBe(0);
    await opened.close();
  });

  it('creates its folder and file private to the user (0700 / 0600), in WAL mode', async () => {
    const path = join(dir, 'wallets', 'journal.sqlite');
    const journal = SqliteJournal.open(path);
    await journal.claimMany([{ pendingId: 'a', chain: 'ETH', payloadHash: 'p' }], 'r', 1000);
    await journal.close();
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'wallets')).mode & 0o777).toBe(0o700);
    const db = new DatabaseSync(path);
    expect(db.prepare('PRAGMA journal_mode').get()).toEqual(expect.objectContaining({ journal_mode: 'wal' }));
    db.close();
  });

  it('keeps what it recorded across a reopen; releaseLeases frees the claims of a process that is gone', async () => {
    const path = join(dir, 'journal.sqlite');
    let journal = SqliteJournal.open(path);
    await journal.claimMany(
      [
        { pendingId: 'signed', chain: 'ETH', payloadHash: 'p' },
        { pendingId: 'claimed', chain: 'ETH', payloadHash: 'p' },
      ],
      'dead',
      3_600_000,
    );
    await journal.recordSignedMany([
      {
        pendingId: 'signed',
        chain: 'ETH',
        payloadHash: 'p',
        sealedTx: 's',
        signedTxHash: 'h',
        submittedOnChain: false,
        replica: 'dead',
      },
    ]);
    await journal.close();
    journal = SqliteJournal.open(path, { releaseLeases: true });
    const answers = await journal.claimMany(
      [
        { pendingId: 'signed', chain: 'ETH', payloadHash: 'p' },
        { pendingId: 'claimed', chain: 'ETH', payloadHash: 'p' },
      ],
      'alive',
      1000,
    );
    expect(answers.map((a) => a.kind)).toEqual(['signed', 'fresh']);
    expect(await journal.verify()).toEqual({ ok: true, entries: 4 });
    await journal.close();
  });

  it('read-only: lists and verifies, refuses writes, and does not create a missing file', async () => {
    expect(() => SqliteJournal.open(join(dir, 'none.sqlite'), { readOnly: true })).toThrow(
      /cannot be opened/,
    );
    const path = join(dir, 'journal.sqlite');
    const writer = SqliteJournal.open(path);
    await writer.claimMany([{ pendingId: 'a', chain: 'ETH', payloadHash: 'p' }], 'r', 1000);
    const reader = SqliteJournal.open(path, { readOnly: true });
    expect(await reader.verify()).toEqual({ ok: true, entries: 1 });
    await expect(
      reader.claimMany([{ pendingId: 'b', chain: 'ETH', payloadHash: 'p' }], 'r', 1),
    ).rejects.toThrow(/read-only/);
    await reader.close();
    await writer.close();
  });

  it('an identical outcome told again (a denied id each cycle) adds no entry', async () => {
    const journal = SqliteJournal.open(':memory:');
    const denied = { pendingId: 'a', chain: 'ETH', outcome: 'denied' as const, reason: 'no', replica: 'r' };
    await journal.claimMany([{ pendingId: 'a', chain: 'ETH', payloadHash: 'p' }], 'r', 1000);
    await journal.recordOutcomeMany([denied]);
    await journal.claimMany([{ pendingId: 'a', chain: 'ETH', payloadHash: 'p' }], 'r', 1000);
    await journal.recordOutcomeMany([denied]);
    expect(await journal.verify()).toEqual({ ok: true, entries: 2 });
    await journal.close();
  });

  it("verify refuses a resealed entry whose hashes are not its signed entry's, even re-hashed with the head", async () => {
    const path = join(dir, 'journal.sqlite');
    const journal = SqliteJournal.open(path);
    await journal.claimMany([{ pendingId: 'a', chain: 'ETH', payloadHash: 'p' }], 'r', 1000);
    await journal.recordSignedMany([
      {
        pendingId: 'a',
        chain: 'ETH',
        payloadHash: 'p',
        sealedTx: 's',
        signedTxHash: 'h',
        submittedOnChain: false,
        replica: 'r',
      },
    ]);
    expect(await journal.resealAll(async () => 'resealed', 'changepassword')).toBe(1);
    expect(await journal.verify()).toEqual({ ok: true, entries: 3 });
    const db = new DatabaseSync(path);
    const { body } = db.prepare('SELECT body FROM entries WHERE seq = 3').get() as { body: string };
    const forged = { ...JSON.parse(body), signedTxHash: 'other' };
    db.prepare('UPDATE entries SET body = ?, hash = ? WHERE seq = 3').run(
      JSON.stringify(forged),
      entryHash(forged),
    );
    db.prepare("UPDATE meta SET value = ? WHERE key = 'head'").run(
      JSON.stringify({ seq: 3, hash: entryHash(forged) }),
    );
    db.close();
    expect(await journal.verify()).toMatchObject({
      ok: false,
      firstBadSeq: 3,
      reason: 'the entry re-seals a transaction that was not signed',
    });
    await journal.close();
  });

  it('verify sees a signed state changed in place (the ids table edited)', async () => {
    const path = join(dir, 'journal.sqlite');
    const journal = SqliteJournal.open(path);
    await journal.claimMany([{ pendingId: 'a', chain: 'ETH', payloadHash: 'p' }], 'r', 1000);
    await journal.recordSignedMany([
      {
        pendingId: 'a',
        chain: 'ETH',
        payloadHash: 'p',
        sealedTx: 's',
        signedTxHash: 'h',
        submittedOnChain: false,
        replica: 'r',
      },
    ]);
    const db = new DatabaseSync(path);
    db.prepare("UPDATE ids SET sealed_tx = 'forged'").run();
    db.close();
    expect(await journal.verify()).toMatchObject({ ok: false, firstBadSeq: 2 });
    await journal.close();
  });
});
