/**
 * Group commit: items handed in while a write is in flight, or while the batcher gathers, go into
 * the next write together, so N concurrent transactions cost a few durable writes instead of N.
 * Each add() settles with its own item's fate: `write` answers one Error or undefined per item, in
 * order, or throws (then every item of that write fails with it).
 *
 * Gathering: before each write the batcher lets the event loop turn once (setImmediate), so work
 * that was ready (answers read, signatures made) can join; with `gatherMs` it waits that long after
 * the first item instead (for writes nobody waits on), or until `maxItems` are queued.
 */
export class GroupCommit<T> {
  private queue: Array<{ item: T; resolve: () => void; reject: (error: unknown) => void }> = [];
  private running = false;
  private wake?: () => void;

  constructor(
    private readonly write: (items: T[]) => Promise<Array<Error | undefined>>,
    private readonly options: { gatherMs?: number; maxItems?: number } = {},
  ) {}

  add(item: T): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (this.queue.length >= (this.options.maxItems ?? Infinity)) this.wake?.();
      if (!this.running) {
        this.running = true;
        void this.drain();
      }
    });
  }

  /** Writes what is queued now, without waiting for the gathering window. */
  flush(): void {
    this.wake?.();
  }

  private async drain(): Promise<void> {
    while (this.queue.length) {
      await this.gather();
      const batch = this.queue.splice(0);
      try {
        const errors = await this.write(batch.map((entry) => entry.item));
        batch.forEach((entry, i) => (errors[i] ? entry.reject(errors[i]) : entry.resolve()));
      } catch (error) {
        for (const entry of batch) entry.reject(error);
      }
    }
    this.running = false;
  }

  private gather(): Promise<void> {
    const gatherMs = this.options.gatherMs;
    if (!gatherMs) return new Promise((resolve) => setImmediate(resolve));
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, gatherMs);
      this.wake = done;
    });
  }
}
