import { Logger } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { PollScheduler } from './poll.scheduler';

/** The poll loop with fake timers: runs never overlap, a failing run does not stop it, stop() waits. */
describe('PollScheduler', () => {
  let scheduler: PollScheduler;
  beforeAll(() => Logger.overrideLogger(false));
  afterAll(() => Logger.overrideLogger(new Logger()));
  beforeEach(() => {
    jest.useFakeTimers();
    scheduler = new PollScheduler(new SchedulerRegistry());
  });
  afterEach(async () => {
    await scheduler.stop();
    jest.useRealTimers();
  });

  /** A job whose runs finish only when the test says so. */
  function controlledJob() {
    const runs: Array<() => void> = [];
    let active = 0;
    let maxActive = 0;
    const job = () =>
      new Promise<void>((resolve) => {
        active++;
        maxActive = Math.max(maxActive, active);
        runs.push(() => {
          active--;
          resolve();
        });
      });
    return { job, runs, maxActive: () => maxActive };
  }

  it('runs at once, then `period` after each run has finished, never two at a time', async () => {
    const { job, runs, maxActive } = controlledJob();
    scheduler.start(job, 1_000);
    expect(runs).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(10_000); // the first run is slow: nothing else starts
    expect(runs).toHaveLength(1);
    runs[0]();
    await jest.advanceTimersByTimeAsync(999);
    expect(runs).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(runs).toHaveLength(2);
    runs[1]();
    await jest.advanceTimersByTimeAsync(1_000);
    expect(runs).toHaveLength(3);
    expect(maxActive()).toBe(1);
    runs[2](); // so that stop() in afterEach does not wait for it
  });

  it('goes on after a run that fails', async () => {
    let calls = 0;
    scheduler.start(async () => {
      calls++;
      throw new Error('boom');
    }, 100);
    await jest.advanceTimersByTimeAsync(350);
    expect(calls).toBe(4);
  });

  it('stop() cancels the next run and resolves only when the run in progress has finished', async () => {
    const { job, runs } = controlledJob();
    scheduler.start(job, 100);
    let stopped = false;
    const stopping = scheduler.stop().then(() => (stopped = true));
    await jest.advanceTimersByTimeAsync(1_000);
    expect(stopped).toBe(false);
    runs[0]();
    await stopping;
    await jest.advanceTimersByTimeAsync(1_000);
    expect(runs).toHaveLength(1);
  });
});
