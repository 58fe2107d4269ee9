import { RateLimitGate, retryAfterMs } from './rate-limit-gate';

/** A clock that moves only when the gate waits, recording each wait. */
function fakeClock() {
  const clock = { time: 1_000_000, waits: [] as number[] };
  const gate = new RateLimitGate(
    () => clock.time,
    async (ms: number) => {
      clock.waits.push(ms);
      clock.time = Math.max(clock.time, clock.time + ms);
    },
  );
  return { clock, gate };
}

describe('RateLimitGate', () => {
  it('lets everything through until the API answers 429', async () => {
    const { clock, gate } = fakeClock();
    for (let i = 0; i < 100; i++) await gate.pass();
    expect(clock.waits).toEqual([]);
    expect(gate.paused).toBe(false);
  });

  it('a 429 holds every request for its Retry-After; a longer one extends the pause, a shorter one does not', async () => {
    const { clock, gate } = fakeClock();
    gate.pause(1000);
    gate.pause(300);
    expect(gate.paused).toBe(true);
    await gate.pass();
    expect(clock.waits).toEqual([1000]);
    await gate.pass();
    expect(clock.waits).toEqual([1000]);
    gate.pause(2000);
    clock.time += 500;
    await gate.pass();
    expect(clock.waits).toEqual([1000, 1500]);
  });

  it('waiting requests go on in the order they arrived', async () => {
    const gate = new RateLimitGate();
    gate.pause(50);
    const order: number[] = [];
    await Promise.all([1, 2, 3, 4].map(async (n) => (await gate.pass(), order.push(n))));
    expect(order).toEqual([1, 2, 3, 4]);
  });
});

describe('retryAfterMs', () => {
  it('reads delta-seconds and HTTP dates; nothing else', () => {
    const now = Date.parse('2026-12-04T12:00:00Z');
    expect(retryAfterMs('3', now)).toBe(3000);
    expect(retryAfterMs(' 0 ', now)).toBe(0);
    expect(retryAfterMs('Fri, 04 Dec 2026 12:00:05 GMT', now)).toBe(5000);
    expect(retryAfterMs('Fri, 04 Dec 2026 11:59:00 GMT', now)).toBe(0);
    expect(retryAfterMs(undefined, now)).toBeUndefined();
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(['2', '9'], now)).toBe(2000);
  });
});
