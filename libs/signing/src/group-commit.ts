/**
 * Group commit: items handed in while a write is in flight (or within the same turn of the event
 * loop) go into the next write together, so N concurrent transactions cost a few durable writes
 * instead of N. Each add() settles with its own item's fate: `write` answers one Error or undefined
 * per item, in order, or throws (then every item of that write fails with it).
 */
export class GroupCommit<T> {
  private queue: Array<{ item: T; resolve: () => void; reject: (error: unknown) => void }> = [];
  private running = false;

  constructor(private readonly write: (items: T[]) => Promise<Array<Error | undefined>>) {}

  add(item: T): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.running) {
        this.running = true;
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length) {
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
}
