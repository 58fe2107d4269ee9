import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { setTimeout as sleep } from 'node:timers/promises';
import { JournalRecordRefusedError } from '../journal.errors';
import type { JournalEntry, SignedRecord, SigningJournal } from '../journal.port';

/** One adapter under test, fresh and empty, with the means to damage it behind its back. */
export interface JournalUnderTest {
  journal: SigningJournal;
  tamper: {
    /**
     * Changes the signedTxHash (or, for an entry without one, the pendingId) of entry `seq` in
     * storage; with `rehash`, its own hash is recomputed too (a forger who knows entryHash).
     */
    edit(seq: number, rehash: boolean): Promise<void>;
    /** Deletes entry `seq`. */
    remove(seq: number): Promise<void>;
    /** Entries `a` and `b` trade places (each keeps its content and hash, at the other's position). */
    swap(a: number, b: number): Promise<void>;
  };
  /** Closes the journal if open and removes everything made for it. */
  dispose(): Promise<void>;
}

const REPLICA = 'replica-a';
const OTHER = 'replica-b';
const LEASE = 60_000;

const claim = (pendingId: string, payloadHash = `payload-of-${pendingId}`, chain = 'ETH') => ({
  pendingId,
  chain,
  payloadHash,
});
const signedRecord = (pendingId: string, fields: Partial<SignedRecord> = {}): SignedRecord => ({
  pendingId,
  chain: 'ETH',
  payloadHash: `payload-of-${pendingId}`,
  sealedTx: `sealed-${pendingId}`,
  signedTxHash: `hash-${pendingId}`,
  submittedOnChain: false,
  replica: REPLICA,
  ...fields,
});

async function entriesOf(journal: SigningJournal, filter?: Parameters<SigningJournal['list']>[0]) {
  const entries: JournalEntry[] = [];
  for await (const entry of journal.list(filter)) entries.push(entry);
  return entries;
}

/**
 * The contract every SigningJournal adapter honours (journal.port.ts), as one jest suite:
 * `journalContract('SqliteJournal', async () => ({ journal, tamper, dispose }))`.
 */
export function journalContract(name: string, make: () => Promise<JournalUnderTest>): void {
  describe(`${name} (signing journal contract)`, () => {
    let under: JournalUnderTest;
    let journal: SigningJournal;

    beforeEach(async () => {
      under = await make();
      journal = under.journal;
    });
    afterEach(async () => {
      await under.dispose();
    });

    it('a new id is fresh; once signed, the same payload gets the recorded bytes back, never fresh again', async () => {
      expect(await journal.claimMany([claim('a')], REPLICA, LEASE)).toEqual([{ kind: 'fresh' }]);
      await journal.recordSignedMany([signedRecord('a', { submittedOnChain: true })]);
      expect(await journal.claimMany([claim('a')], REPLICA, LEASE)).toEqual([
        { kind: 'signed', sealedTx: 'sealed-a', signedTxHash: 'hash-a', submittedOnChain: true },
      ]);
      expect(await journal.claimMany([claim('a')], OTHER, LEASE)).toEqual([
        { kind: 'signed', sealedTx: 'sealed-a', signedTxHash: 'hash-a', submittedOnChain: true },
      ]);
    });

    it('a signed id served with another payload is a conflict naming the recorded payload hash', async () => {
      await journal.claimMany([claim('a')], REPLICA, LEASE);
      await journal.recordSignedMany([signedRecord('a')]);
      expect(await journal.claimMany([claim('a', 'another-payload')], REPLICA, LEASE)).toEqual([
        { kind: 'conflict', recordedPayloadHash: 'payload-of-a' },
      ]);
    });

    it('ids are per chain: the same pending id on another chain is its own claim', async () => {
      await journal.claimMany([claim('a')], REPLICA, LEASE);
      await journal.recordSignedMany([signedRecord('a')]);
      expect(await journal.claimMany([claim('a', 'other', 'BSC')], REPLICA, LEASE)).toEqual([
        { kind: 'fresh' },
      ]);
    });

    it("another replica's live lease holds the id; the holder itself may claim it again", async () => {
      await journal.claimMany([claim('a')], REPLICA, LEASE);
      const [held] = await journal.claimMany([claim('a')], OTHER, LEASE);
      expect(held.kind).toBe('held');
      if (held.kind !== 'held') return;
      expect(held.replica).toBe(REPLICA);
      expect(held.until.getTime()).toBeGreaterThan(Date.now() + LEASE / 2);
      expect(await journal.claimMany([claim('a')], REPLICA, LEASE)).toEqual([{ kind: 'fresh' }]);
    });

    it('an expired lease (its replica died before signing) is claimed fresh by another replica', async () => {
      await journal.claimMany([claim('a')], REPLICA, 1);
      await sleep(50);
      expect(await journal.claimMany([claim('a')], OTHER, LEASE)).toEqual([{ kind: 'fresh' }]);
    });

    it("a signed record is refused once another replica took the id over; the batch's others are committed", async () => {
      await journal.claimMany([claim('a'), claim('b')], REPLICA, 1);
      await sleep(50);
      await journal.claimMany([claim('a')], OTHER, LEASE);
      const refusal = await journal.recordSignedMany([signedRecord('a'), signedRecord('b')]).catch((e) => e);
      expect(refusal).toBeInstanceOf(JournalRecordRefusedError);
      expect((refusal as JournalRecordRefusedError).refused.map((r) => r.pendingId)).toEqual(['a']);
      const [a, b] = await journal.claimMany([claim('a'), claim('b')], OTHER, LEASE);
      expect(a).toEqual({ kind: 'fresh' });
      expect(b).toMatchObject({ kind: 'signed', sealedTx: 'sealed-b' });
    });

    it('a signed id is never recorded again with other bytes; the identical record is accepted', async () => {
      await journal.claimMany([claim('a')], REPLICA, LEASE);
      await journal.recordSignedMany([signedRecord('a')]);
      await expect(journal.recordSignedMany([signedRecord('a')])).resolves.toBeUndefined();
      await expect(
        journal.recordSignedMany([signedRecord('a', { sealedTx: 'x', signedTxHash: 'other' })]),
      ).rejects.toBeInstanceOf(JournalRecordRefusedError);
      expect(await journal.claimMany([claim('a')], REPLICA, LEASE)).toEqual([
        { kind: 'signed', sealedTx: 'sealed-a', signedTxHash: 'hash-a', submittedOnChain: false },
      ]);
    });

    it('an id never claimed is not recorded as signed', async () => {
      await expect(journal.recordSignedMany([signedRecord('never')])).rejects.toBeInstanceOf(
        JournalRecordRefusedError,
      );
    });

    it('batches answer in input order, one answer per claim', async () => {
      await journal.claimMany([claim('s')], REPLICA, LEASE);
      await journal.recordSignedMany([signedRecord('s')]);
      await journal.claimMany([claim('h')], OTHER, LEASE);
      const answers = await journal.claimMany(
        [claim('f1'), claim('s'), claim('h'), claim('s', 'changed'), claim('f2')],
        REPLICA,
        LEASE,
      );
      expect(answers.map((a) => a.kind)).toEqual(['fresh', 'signed', 'held', 'conflict', 'fresh']);
    });

    it('entries form one hash chain in insertion order, and verify accepts it', async () => {
      await journal.claimMany([claim('a'), claim('b')], REPLICA, LEASE);
      await journal.recordSignedMany([signedRecord('a')]);
      await journal.recordOutcomeMany([
        { pendingId: 'a', chain: 'ETH', outcome: 'broadcast', txId: '0xabc', replica: REPLICA },
        { pendingId: 'b', chain: 'ETH', outcome: 'denied', reason: 'HTTP 403', replica: REPLICA },
      ]);
      const entries = await entriesOf(journal);
      expect(entries.map((e) => [e.seq, e.kind, e.pendingId])).toEqual([
        [1, 'claimed', 'a'],
        [2, 'claimed', 'b'],
        [3, 'signed', 'a'],
        [4, 'broadcast', 'a'],
        [5, 'denied', 'b'],
      ]);
      expect(entries[0].prevHash).toBe('0'.repeat(64));
      for (let i = 1; i < entries.length; i++) expect(entries[i].prevHash).toBe(entries[i - 1].hash);
      expect(entries[2]).toMatchObject({
        signedTxHash: 'hash-a',
        sealedTx: 'sealed-a',
        payloadHash: 'payload-of-a',
      });
      expect(entries[3]).toMatchObject({ txId: '0xabc', replica: REPLICA });
      expect(entries[4]).toMatchObject({ reason: 'HTTP 403' });
      expect(await journal.verify()).toEqual({ ok: true, entries: 5 });
    });

    describe('verify finds the first damaged entry', () => {
      beforeEach(async () => {
        await journal.claimMany([claim('a'), claim('b'), claim('c')], REPLICA, LEASE);
        await journal.recordSignedMany([signedRecord('a'), signedRecord('b'), signedRecord('c')]);
        // 6 entries: claimed a, b, c; signed a, b, c
      });

      it('an edited entry', async () => {
        await under.tamper.edit(4, false);
        expect(await journal.verify()).toMatchObject({ ok: false, firstBadSeq: 4 });
      });

      it('an edited entry whose own hash was recomputed', async () => {
        await under.tamper.edit(4, true);
        const verdict = await journal.verify();
        expect(verdict.ok).toBe(false);
        if (!verdict.ok) expect([4, 5]).toContain(verdict.firstBadSeq);
      });

      it('an edited last entry whose own hash was recomputed', async () => {
        await under.tamper.edit(6, true);
        expect(await journal.verify()).toMatchObject({ ok: false, firstBadSeq: 6 });
      });

      it('a removed entry', async () => {
        await under.tamper.remove(3);
        const verdict = await journal.verify();
        expect(verdict.ok).toBe(false);
        if (!verdict.ok) expect([3, 4]).toContain(verdict.firstBadSeq);
      });

      it('a removed first entry and a removed last entry', async () => {
        await under.tamper.remove(1);
        expect((await journal.verify()).ok).toBe(false);
        await under.dispose();
        under = await make();
        journal = under.journal;
        await journal.claimMany([claim('a')], REPLICA, LEASE);
        await journal.recordSignedMany([signedRecord('a')]);
        await under.tamper.remove(2);
        expect(await journal.verify()).toMatchObject({ ok: false });
      });

      it('two reordered entries', async () => {
        await under.tamper.swap(2, 5);
        const verdict = await journal.verify();
        expect(verdict.ok).toBe(false);
        if (!verdict.ok) expect(verdict.firstBadSeq).toBe(2);
      });
    });

    it('list filters by chain, kind and time, in insertion order', async () => {
      await journal.claimMany([claim('a'), claim('x', 'p', 'BSC')], REPLICA, LEASE);
      await journal.recordSignedMany([signedRecord('a')]);
      await journal.recordOutcomeMany([
        { pendingId: 'a', chain: 'ETH', outcome: 'failed', reason: 'HTTP 502', replica: REPLICA },
      ]);
      expect((await entriesOf(journal, { chain: 'BSC' })).map((e) => e.pendingId)).toEqual(['x']);
      expect((await entriesOf(journal, { outcome: 'signed' })).map((e) => e.pendingId)).toEqual(['a']);
      expect((await entriesOf(journal, { outcome: 'failed' })).map((e) => e.reason)).toEqual(['HTTP 502']);
      expect(await entriesOf(journal, { since: new Date(Date.now() + 60_000) })).toEqual([]);
      expect(await entriesOf(journal, { since: new Date(Date.now() - 60_000) })).toHaveLength(4);
    });

    it('a failed broadcast keeps the id signed: the next claim gets the same bytes', async () => {
      await journal.claimMany([claim('a')], REPLICA, LEASE);
      await journal.recordSignedMany([signedRecord('a')]);
      await journal.recordOutcomeMany([
        { pendingId: 'a', chain: 'ETH', outcome: 'failed', reason: 'HTTP 502', replica: REPLICA },
      ]);
      expect(await journal.claimMany([claim('a')], OTHER, LEASE)).toEqual([
        { kind: 'signed', sealedTx: 'sealed-a', signedTxHash: 'hash-a', submittedOnChain: false },
      ]);
    });

    describe('resealAll (a password change)', () => {
      /** Re-seals `sealed-<id>` as `new-<id>`; a value already `new-` is left alone (as resumed). */
      const toNew = async (sealedTx: string, binding: { chain: string; pendingId: string }) => {
        seen.push(`${binding.chain}/${binding.pendingId}`);
        return sealedTx.startsWith('new-') ? sealedTx : `new-${binding.pendingId}`;
      };
      let seen: string[];
      beforeEach(async () => {
        seen = [];
        await journal.claimMany([claim('a'), claim('b'), claim('c'), claim('x', 'p', 'BSC')], REPLICA, LEASE);
        await journal.recordSignedMany([signedRecord('a'), signedRecord('b')]);
        await journal.recordSignedMany([signedRecord('x', { chain: 'BSC', payloadHash: 'p' })]);
        await journal.recordOutcomeMany([
          { pendingId: 'a', chain: 'ETH', outcome: 'failed', reason: 'HTTP 502', replica: REPLICA },
        ]);
        // 8 entries: claimed a, b, c, x; signed a, b; signed x; failed a (c is claimed, never signed)
      });

      it('claims answer the re-sealed bytes; each signed id gets one resealed entry, the signed entries and every hash stay', async () => {
        const before = await entriesOf(journal);
        expect(await journal.resealAll(toNew, 'changepassword')).toBe(3);
        expect(seen.sort()).toEqual(['BSC/x', 'ETH/a', 'ETH/b']);
        expect(
          await journal.claimMany([claim('a'), claim('b'), claim('x', 'p', 'BSC')], OTHER, LEASE),
        ).toEqual([
          { kind: 'signed', sealedTx: 'new-a', signedTxHash: 'hash-a', submittedOnChain: false },
          { kind: 'signed', sealedTx: 'new-b', signedTxHash: 'hash-b', submittedOnChain: false },
          { kind: 'signed', sealedTx: 'new-x', signedTxHash: 'hash-x', submittedOnChain: false },
        ]);
        const after = await entriesOf(journal);
        expect(after.slice(0, before.length)).toEqual(before);
        const resealed = after.slice(before.length);
        expect(resealed.map((e) => [e.kind, e.chain, e.pendingId, e.sealedTx]).sort()).toEqual([
          ['resealed', 'BSC', 'x', 'new-x'],
          ['resealed', 'ETH', 'a', 'new-a'],
          ['resealed', 'ETH', 'b', 'new-b'],
        ]);
        expect(resealed.find((e) => e.pendingId === 'a')).toMatchObject({
          payloadHash: 'payload-of-a',
          signedTxHash: 'hash-a',
          replica: 'changepassword',
        });
        expect((await entriesOf(journal, { outcome: 'resealed' })).length).toBe(3);
        expect((await entriesOf(journal, { outcome: 'signed' })).map((e) => e.sealedTx)).toEqual([
          'sealed-a',
          'sealed-b',
          'sealed-x',
        ]);
        expect(await journal.verify()).toEqual({ ok: true, entries: 11 });
      });

      it('run again (an interrupted change resumed), it re-seals only what is left and appends nothing more', async () => {
        expect(await journal.resealAll(toNew, 'changepassword')).toBe(3);
        expect(await journal.resealAll(toNew, 'changepassword')).toBe(0);
        expect(await journal.verify()).toEqual({ ok: true, entries: 11 });
        // half done: only b still carries the old seal
        const partly = (sealedTx: string, binding: { chain: string; pendingId: string }) =>
          Promise.resolve(binding.pendingId === 'b' ? `newer-${binding.pendingId}` : sealedTx);
        expect(await journal.resealAll(partly, 'changepassword')).toBe(1);
        expect(await journal.claimMany([claim('a'), claim('b')], REPLICA, LEASE)).toMatchObject([
          { kind: 'signed', sealedTx: 'new-a' },
          { kind: 'signed', sealedTx: 'newer-b' },
        ]);
        expect(await journal.verify()).toEqual({ ok: true, entries: 12 });
      });

      it('a reseal that throws writes nothing', async () => {
        const failing = async (sealedTx: string, binding: { chain: string; pendingId: string }) => {
          if (binding.pendingId === 'x') throw new Error('does not open');
          return `new-${binding.pendingId}`;
        };
        await expect(journal.resealAll(failing, 'changepassword')).rejects.toThrow('does not open');
        expect(await journal.claimMany([claim('a')], REPLICA, LEASE)).toMatchObject([
          { kind: 'signed', sealedTx: 'sealed-a' },
        ]);
        expect(await journal.verify()).toEqual({ ok: true, entries: 8 });
      });

      it('an empty journal, or one with nothing signed, re-seals nothing', async () => {
        await under.dispose();
        under = await make();
        journal = under.journal;
        expect(await journal.resealAll(toNew, 'changepassword')).toBe(0);
        await journal.claimMany([claim('c')], REPLICA, LEASE);
        expect(await journal.resealAll(toNew, 'changepassword')).toBe(0);
        expect(seen).toEqual([]);
        expect(await journal.verify()).toEqual({ ok: true, entries: 1 });
      });

      it('verify still finds an edited resealed entry', async () => {
        await journal.resealAll(toNew, 'changepassword');
        await under.tamper.edit(10, false);
        expect(await journal.verify()).toMatchObject({ ok: false, firstBadSeq: 10 });
      });
    });

    it('a denied claim releases its lease: another replica may take the id at once', async () => {
      await journal.claimMany([claim('a')], REPLICA, LEASE);
      await journal.recordOutcomeMany([
        { pendingId: 'a', chain: 'ETH', outcome: 'denied', reason: 'no', replica: REPLICA },
      ]);
      expect(await journal.claimMany([claim('a')], OTHER, LEASE)).toEqual([{ kind: 'fresh' }]);
    });
  });
}
