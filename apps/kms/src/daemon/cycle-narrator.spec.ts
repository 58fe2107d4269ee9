import type { LoggerService } from '@nestjs/common';
import type { CycleReport } from '@kms/signing';
import { CycleNarrator, HEARTBEAT_MS } from './cycle-narrator';

const idle = (): CycleReport => ({ pending: 0, broadcast: 0, denied: 0, failed: 0, errors: [] });

describe('CycleNarrator', () => {
  let now: number;
  let lines: Array<{ level: string; message: string }>;
  let narrator: CycleNarrator;
  const logger: LoggerService = {
    log: (message: unknown) =>
      lines.push({
        level: 'info',
        message: typeof message === 'string' ? message : (message as { msg: string }).msg,
      }),
    error: (message: unknown) => lines.push({ level: 'error', message: String(message) }),
    warn: () => undefined,
  };

  beforeEach(() => {
    now = 1_000_000;
    lines = [];
    narrator = new CycleNarrator(logger, () => now);
  });

  it('summarizes a cycle that broadcast or failed a transaction', () => {
    narrator.cycleEnded({ ...idle(), pending: 3, broadcast: 2, denied: 1 });
    narrator.cycleEnded({ ...idle(), pending: 1, failed: 1, errors: [{ signatureId: 'a', error: 'x' }] });
    expect(lines).toEqual([
      { level: 'info', message: 'Cycle: 3 pending, 2 broadcast, 1 denied, 0 failed' },
      { level: 'info', message: 'Cycle: 1 pending, 0 broadcast, 0 denied, 1 failed' },
    ]);
  });

  it('writes a heartbeat at most once a minute when idle, with the counts since the last line', () => {
    for (let i = 0; i < 11; i++) {
      now += 5_000;
      narrator.cycleEnded({ ...idle(), pending: 1, denied: 1 });
    }
    expect(lines).toEqual([]);
    now += 5_000;
    narrator.cycleEnded(idle());
    expect(lines).toEqual([
      {
        level: 'info',
        message: 'Alive: 12 cycles since the last line, 11 pending, 0 broadcast, 11 denied, 0 failed',
      },
    ]);
    now += HEARTBEAT_MS - 1;
    narrator.cycleEnded(idle());
    expect(lines).toHaveLength(1);
    now += 1;
    narrator.cycleEnded(idle());
    expect(lines.at(-1)!.message).toBe(
      'Alive: 2 cycles since the last line, 0 pending, 0 broadcast, 0 denied, 0 failed',
    );
  });

  it('tells a store or API problem when it starts, changes and ends, not every cycle', () => {
    for (let i = 0; i < 3; i++) narrator.cycleEnded({ ...idle(), failed: 1, storeProblem: 'Wrong password' });
    narrator.cycleEnded({ ...idle(), failed: 1, storeProblem: 'The wallet file is damaged' });
    narrator.cycleEnded(idle());
    narrator.cycleEnded({ ...idle(), failed: 1, apiProblem: 'ETH: HTTP 403' });
    narrator.cycleEnded({ ...idle(), failed: 1, apiProblem: 'ETH: HTTP 403' });
    narrator.cycleEnded(idle());
    expect(lines).toEqual([
      { level: 'error', message: 'The wallet store cannot be read: Wrong password' },
      { level: 'error', message: 'The wallet store cannot be read: The wallet file is damaged' },
      { level: 'info', message: 'The wallet store can be read again' },
      { level: 'error', message: 'Pending transactions cannot be fetched from the Tatum API: ETH: HTTP 403' },
      { level: 'info', message: 'Pending transactions can be fetched from the Tatum API again' },
    ]);
  });

  it('summarizes a --runOnce cycle whatever it did', () => {
    narrator.cycleEnded(idle(), true);
    expect(lines).toEqual([{ level: 'info', message: 'Cycle: 0 pending, 0 broadcast, 0 denied, 0 failed' }]);
  });
});
