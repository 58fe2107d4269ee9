import { Logger } from '@nestjs/common';
import type { LogEvent } from '@kms/common';
import type { OutcomeEvent } from './cycle-observer.port';
import { OutcomeReporter } from './outcome-reporter';

describe('OutcomeReporter', () => {
  const lines: Array<{ level: string; event: LogEvent }> = [];
  beforeAll(() =>
    Logger.overrideLogger({
      log: (event: LogEvent) => lines.push({ level: 'info', event }),
      error: (event: LogEvent) => lines.push({ level: 'error', event }),
      warn: () => undefined,
    }),
  );
  afterAll(() => Logger.overrideLogger(new Logger()));
  beforeEach(() => (lines.length = 0));

  it('logs each outcome with its fields and tells every observer', () => {
    const seen: OutcomeEvent[] = [];
    const reporter = new OutcomeReporter();
    reporter.observe({ outcome: (event) => seen.push(event) });
    reporter.report({ chain: 'ETH', pendingId: 'a', outcome: 'signed', txId: '0x1' });
    reporter.report({ chain: 'ETH', pendingId: 'b', outcome: 'failed', reason: 'bad nonce' });
    expect(lines).toEqual([
      {
        level: 'info',
        event: {
          msg: 'Broadcast ETH transaction a: txId 0x1',
          fields: expect.objectContaining({ pendingId: 'a', chain: 'ETH', outcome: 'signed', txId: '0x1' }),
        },
      },
      {
        level: 'error',
        event: {
          msg: 'Failed ETH transaction b: bad nonce',
          fields: expect.objectContaining({ pendingId: 'b', outcome: 'failed', reason: 'bad nonce' }),
        },
      },
    ]);
    expect(seen.map((event) => event.outcome)).toEqual(['signed', 'failed']);
  });

  it('logs a denial once per pending id, while observers count each', () => {
    let denials = 0;
    const reporter = new OutcomeReporter();
    reporter.observe({ outcome: () => denials++ });
    for (let i = 0; i < 3; i++)
      reporter.report({ chain: 'ETH', pendingId: 'd', outcome: 'denied', reason: 'HTTP 403' });
    reporter.report({ chain: 'BTC', pendingId: 'd', outcome: 'denied', reason: 'HTTP 403' });
    expect(lines.map((line) => line.event.msg)).toEqual([
      'Not signing ETH transaction d: HTTP 403',
      'Not signing BTC transaction d: HTTP 403',
    ]);
    expect(denials).toBe(4);
  });
});
