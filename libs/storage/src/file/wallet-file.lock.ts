import { setTimeout as sleep } from 'node:timers/promises';
import { lock } from 'proper-lockfile';

/**
 * Exclusive, cross-process lock on the wallet file: a `<file>.lock` directory beside it (mkdir is
 * atomic on local file systems). The holder refreshes its mtime every stale/2 ms; a lock not refreshed
 * for `stale` ms belongs to a crashed process and is taken over.
 *
 * Parameters: stale 5 s (proper-lockfile's floor is 2 s; 5 s tolerates a busy event loop, and a crashed
 * writer blocks others for at most ~5 s). Only a held lock (ELOCKED) is retried: up to 200 times,
 * 5 ms growing by 1.3x to at most 100 ms, each multiplied by a random 1-2x so waiters do not retry in
 * lockstep; about 20 s in all, enough to outlast a stale lock. Any other error (EACCES, EROFS, ...)
 * fails at once. A write holds the lock for milliseconds (no scrypt runs under it), so 20 concurrent
 * writers get through in well under a second of lock time.
 */
export const WALLET_LOCK_OPTIONS = {
  stale: 5_000,
  retries: 200,
  minDelayMs: 5,
  maxDelayMs: 100,
  factor: 1.3,
} as const;

export interface HeldLock {
  /** Throws (code ECOMPROMISED) if the lock was lost, e.g. after a long pause; call before committing. */
  assertHeld(): void;
  release(): Promise<void>;
}

/** Rejects with the underlying fs error; code ELOCKED when every retry found the lock held. */
export async function lockWalletFile(file: string): Promise<HeldLock> {
  let lost: Error | undefined;
  const options = {
    stale: WALLET_LOCK_OPTIONS.stale,
    realpath: false,
    lockfilePath: `${file}.lock`,
    onCompromised: (error: Error) => {
      lost = error;
    },
  };
  let release: () => Promise<void>;
  for (let attempt = 0; ; attempt++) {
    try {
      release = await lock(file, options);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ELOCKED' || attempt >= WALLET_LOCK_OPTIONS.retries)
        throw error;
      await sleep(retryDelay(attempt));
    }
  }
  return {
    assertHeld() {
      if (lost)
        throw Object.assign(new Error('wallet file lock compromised'), { code: 'ECOMPROMISED', cause: lost });
    },
    async release() {
      // A compromised lock is already gone, and a lock we fail to remove goes stale: nothing to report.
      await release().catch(() => undefined);
    },
  };
}

function retryDelay(attempt: number): number {
  const { minDelayMs, maxDelayMs, factor } = WALLET_LOCK_OPTIONS;
  return Math.min(maxDelayMs, minDelayMs * factor ** attempt) * (1 + Math.random());
}
