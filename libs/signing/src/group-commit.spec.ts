import { GroupCommit } from './group-commit';

describe('GroupCommit', () => {
  it('writes items added together in one write, and those added meanwhile in the next', async () => {
    const writes: number[][] = [];
    const later: Array<Promise<void>> = [];
    const group: GroupCommit<number> = new GroupCommit(async (items) => {
      writes.push(items);
      if (writes.length === 1) later.push(group.add(10), group.add(11));
      return items.map(() => undefined);
    });
    await Promise.all([group.add(1), group.add(2), group.add(3)]);
    await Promise.all(later);
    expect(writes).toEqual([
      [1, 2, 3],
      [10, 11],
    ]);
  });

  it('fails only the items the write refused, and every item of a write that throws', async () => {
    let fail = false;
    const group = new GroupCommit<number>(async (items) => {
      if (fail) throw new Error('disk full');
      return items.map((item) => (item === 2 ? new Error('refused 2') : undefined));
    });
    const results = await Promise.allSettled([group.add(1), group.add(2)]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected']);
    fail = true;
    await expect(group.add(3)).rejects.toThrow('disk full');
  });
});
