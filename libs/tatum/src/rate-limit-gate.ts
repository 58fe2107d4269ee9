import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Holds back every request of one API client while the API says it is over its rate limit, so that a
 * rate-limited plan is used at its full rate with no failure: the limit, not the client, sets the speed.
 * A 429 pauses all requests (new ones and retried ones alike) until its Retry-After has passed; they then
 * go out in the order they arrived, so a request refused once is among the first of the next window.
 * Without a 429 nothing is slowed down. (Measured: bench/rate-limited-cycle.bench.js.)
 */
export class RateLimitGate {
  private pausedUntil = 0;
  /** The one wake-up every held request waits for: they resume in the order they started waiting. */
  private waking?: Promise<void>;

  constructor(
    private readonly now: () => number = Date.now,
    private readonly wait: (ms: number) => Promise<unknown> = sleep,
  ) {}

  /** Resolves when a request may be sent: at once, or when the current pause ends. */
  async pass(): Promise<void> {
    while (this.pausedUntil > this.now()) {
      this.waking ??= this.wait(this.pausedUntil - this.now()).then(() => {
        this.waking = undefined;
      });
      await this.waking;
    }
  }

  /** The API refused a request with 429: pause every request for `retryAfterMs`. */
  pause(retryAfterMs: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.now() + retryAfterMs);
  }

  /** True while requests are held back. */
  get paused(): boolean {
    return this.pausedUntil > this.now();
  }
}

/**
 * Milliseconds to wait from a Retry-After header (delta-seconds or an HTTP date, RFC 9110 §10.2.3);
 * undefined when absent or unreadable.
 */
export function retryAfterMs(
  header: string | string[] | undefined,
  now: number = Date.now(),
): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || value.trim() === '') return undefined;
  if (/^\s*\d+\s*$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
