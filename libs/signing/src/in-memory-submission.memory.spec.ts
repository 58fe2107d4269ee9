import { InMemorySubmissionMemory } from './in-memory-submission.memory';

const key = (pendingId: string, chain = 'ETH') => ({ chain, pendingId });
const sent = (txData: string, acknowledged = false) => ({ txData, onChain: false, acknowledged });

describe('InMemorySubmissionMemory', () => {
  it('recalls per chain and pending id, replaces, forgets', async () => {
    const memory = new InMemorySubmissionMemory();
    await memory.remember(key('a'), sent('0x01'));
    expect(await memory.recall(key('a'))).toEqual(sent('0x01'));
    expect(await memory.recall(key('a', 'BSC'))).toBeUndefined();
    await memory.remember(key('a'), sent('0x01', true));
    expect(await memory.recall(key('a'))).toEqual(sent('0x01', true));
    await memory.forget(key('a'));
    expect(await memory.recall(key('a'))).toBeUndefined();
  });

  it('never drops an unacknowledged submission: at the limit it has no room until one is acknowledged', async () => {
    const memory = new InMemorySubmissionMemory({
      maxUnacknowledged: 2,
      maxUnacknowledgedBytes: 1e9,
      maxAcknowledged: 10,
      maxAcknowledgedBytes: 1e9,
    });
    await memory.remember(key('a'), sent('0x01'));
    expect(await memory.hasRoom()).toBe(true);
    await memory.remember(key('b'), sent('0x02'));
    expect(await memory.hasRoom()).toBe(false);
    expect(await memory.recall(key('a'))).toBeDefined();
    await memory.remember(key('a'), sent('0x01', true));
    expect(await memory.hasRoom()).toBe(true);
  });

  it('bounds unacknowledged bytes too', async () => {
    const memory = new InMemorySubmissionMemory({
      maxUnacknowledged: 100,
      maxUnacknowledgedBytes: 1000,
      maxAcknowledged: 10,
      maxAcknowledgedBytes: 1e9,
    });
    await memory.remember(key('big'), sent('x'.repeat(600)));
    expect(await memory.hasRoom()).toBe(false);
    await memory.forget(key('big'));
    expect(await memory.hasRoom()).toBe(true);
  });

  it('drops the oldest acknowledged submissions beyond their count or size', async () => {
    const memory = new InMemorySubmissionMemory({
      maxUnacknowledged: 10,
      maxUnacknowledgedBytes: 1e9,
      maxAcknowledged: 2,
      maxAcknowledgedBytes: 1e9,
    });
    for (const id of ['a', 'b', 'c']) await memory.remember(key(id), sent(id, true));
    expect(await memory.recall(key('a'))).toBeUndefined();
    expect(await memory.recall(key('b'))).toBeDefined();
    expect(await memory.recall(key('c'))).toBeDefined();
  });
});
