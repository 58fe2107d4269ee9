import { SqliteJournal } from '../sqlite/sqlite-journal';
import { resealJournal } from './journal-reseal';
import { TxSealer } from './tx-sealer';

describe('resealJournal', () => {
  const OLD = 'old-store-password';
  const NEW = 'new-store-password';

  /** Claims and records `id` as signed, its bytes sealed with `sealedTx` (binding ETH/id). */
  async function signed(journal: SqliteJournal, id: string, sealedTx: string): Promise<void> {
    await journal.claimMany([{ pendingId: id, chain: 'ETH', payloadHash: `p-${id}` }], 'r', 60_000);
    await journal.recordSignedMany([
      {
        pendingId: id,
        chain: 'ETH',
        payloadHash: `p-${id}`,
        sealedTx,
        signedTxHash: `h-${id}`,
        submittedOnChain: false,
        replica: 'r',
      },
    ]);
  }

  it('opens with the old password and seals with the new one; leaves what opens with the new one or neither', async () => {
    const journal = SqliteJournal.open(':memory:');
    const [old, next] = await Promise.all([TxSealer.fromPassword(OLD), TxSealer.fromPassword(NEW)]);
    const bind = (pendingId: string) => ({ chain: 'ETH', pendingId });
    await signed(journal, 'a', await old.seal('0xaa', bind('a')));
    const already = await next.seal('0xbb', bind('b'));
    await signed(journal, 'b', already);
    const other = await (await TxSealer.fromPassword('older-still')).seal('0xcc', bind('c'));
    await signed(journal, 'c', other);

    expect(await resealJournal(journal, OLD, NEW)).toEqual({ resealed: 1, unopened: 1 });
    const answers = await journal.claimMany(
      ['a', 'b', 'c'].map((id) => ({ pendingId: id, chain: 'ETH', payloadHash: `p-${id}` })),
      'r',
      60_000,
    );
    const sealed = answers.map((answer) => (answer.kind === 'signed' ? answer.sealedTx : answer.kind));
    const reader = await TxSealer.fromPassword(NEW);
    expect(await reader.open(sealed[0], bind('a'))).toBe('0xaa');
    expect(sealed[1]).toBe(already);
    expect(sealed[2]).toBe(other);
    await expect(old.open(sealed[0], bind('a'))).rejects.toThrow(/does not open/);

    // run again (resumed): nothing left to do
    expect(await resealJournal(journal, OLD, NEW)).toEqual({ resealed: 0, unopened: 1 });
    expect(await journal.verify()).toEqual({ ok: true, entries: 7 });
    // the new password as old and new (a vault rotation finished): nothing either
    expect(await resealJournal(journal, NEW, NEW)).toEqual({ resealed: 0, unopened: 1 });
    expect(await journal.verify()).toEqual({ ok: true, entries: 7 });
    await journal.close();
  }, 60_000);
});
