import type { Submission, SubmissionKey, SubmissionMemory } from './submission-memory.port';

export interface SubmissionMemoryLimits {
  /** Submissions waiting for the API's acknowledgement; at this count or size nothing new is signed. */
  maxUnacknowledged: number;
  maxUnacknowledgedBytes: number;
  /** Acknowledged submissions kept in case the API offers their pending transaction again; oldest go first. */
  maxAcknowledged: number;
  maxAcknowledgedBytes: number;
}

/**
 * Unacknowledged: far more than one cycle can leave behind (a cycle of 1,000 transactions whose
 * broadcasts all fail adds 1,000); 256 MiB bounds a hostile API that keeps failing broadcasts of
 * large transactions. Acknowledged: about a day of a busy daemon's ids (small for SOL/FLOW ids,
 * signed bytes for the others).
 */
export const DEFAULT_SUBMISSION_MEMORY_LIMITS: SubmissionMemoryLimits = {
  maxUnacknowledged: 10_000,
  maxUnacknowledgedBytes: 256 * 1024 * 1024,
  maxAcknowledged: 100_000,
  maxAcknowledgedBytes: 64 * 1024 * 1024,
};

/**
 * SubmissionMemory for the life of the process. Unacknowledged submissions are never dropped (a
 * dropped one could be signed again); when they reach the limits, hasRoom() is false until the API
 * acknowledges some. Acknowledged ones are dropped oldest first beyond their limits.
 */
export class InMemorySubmissionMemory implements SubmissionMemory {
  private readonly unacknowledged = new Map<string, Submission>();
  private readonly acknowledged = new Map<string, Submission>();
  private unacknowledgedBytes = 0;
  private acknowledgedBytes = 0;

  constructor(private readonly limits: SubmissionMemoryLimits = DEFAULT_SUBMISSION_MEMORY_LIMITS) {}

  async recall(key: SubmissionKey): Promise<Submission | undefined> {
    const id = idOf(key);
    return this.unacknowledged.get(id) ?? this.acknowledged.get(id);
  }

  async hasRoom(): Promise<boolean> {
    return (
      this.unacknowledged.size < this.limits.maxUnacknowledged &&
      this.unacknowledgedBytes < this.limits.maxUnacknowledgedBytes
    );
  }

  async remember(key: SubmissionKey, submission: Submission): Promise<void> {
    const id = idOf(key);
    this.drop(id);
    const bytes = sizeOf(id, submission);
    if (!submission.acknowledged) {
      this.unacknowledged.set(id, { ...submission });
      this.unacknowledgedBytes += bytes;
      return;
    }
    this.acknowledged.set(id, { ...submission });
    this.acknowledgedBytes += bytes;
    for (const [oldest, entry] of this.acknowledged) {
      if (
        this.acknowledged.size <= this.limits.maxAcknowledged &&
        this.acknowledgedBytes <= this.limits.maxAcknowledgedBytes
      )
        break;
      this.acknowledged.delete(oldest);
      this.acknowledgedBytes -= sizeOf(oldest, entry);
    }
  }

  async forget(key: SubmissionKey): Promise<void> {
    this.drop(idOf(key));
  }

  private drop(id: string): void {
    const waiting = this.unacknowledged.get(id);
    if (waiting && this.unacknowledged.delete(id)) this.unacknowledgedBytes -= sizeOf(id, waiting);
    const done = this.acknowledged.get(id);
    if (done && this.acknowledged.delete(id)) this.acknowledgedBytes -= sizeOf(id, done);
  }
}

function idOf({ chain, pendingId }: SubmissionKey): string {
  return JSON.stringify([chain.toUpperCase(), pendingId]);
}

/** Approximate memory of one entry (UTF-16: two bytes per character). */
function sizeOf(id: string, submission: Submission): number {
  return 2 * (id.length + submission.txData.length) + 64;
}
