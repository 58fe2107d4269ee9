import type { LoggerService } from '@nestjs/common';
import { logEvent } from '@kms/common';
import type { CycleReport } from '@kms/signing';

/** An idle daemon writes one heartbeat line at most this often. */
export const HEARTBEAT_MS = 60_000;

interface Counts {
  cycles: number;
  pending: number;
  broadcast: number;
  denied: number;
  failed: number;
}

/**
 * What the daemon says about its cycles, without repeating itself:
 * - a cycle that broadcast or failed a transaction: one summary line;
 * - otherwise (idle, or only denials asked again): a heartbeat at most every minute, with the counts
 *   since the previous line;
 * - a wallet store that cannot be read, or pending transactions that cannot be fetched: one error when it
 *   starts, one line when it is over, nothing in between (readiness reports it meanwhile).
 */
export class CycleNarrator {
  private since: Counts = empty();
  private lastLineAt: number;
  private storeProblem?: string;
  private apiProblem?: string;

  constructor(
    private readonly logger: LoggerService,
    private readonly now: () => number = Date.now,
  ) {
    this.lastLineAt = now();
  }

  /** `summarize`: write the summary line whatever the cycle did (a `--runOnce` run's only cycle). */
  cycleEnded(report: CycleReport, summarize = false): void {
    this.storeProblem = this.changed(
      'The wallet store cannot be read',
      this.storeProblem,
      report.storeProblem,
    );
    this.apiProblem = this.changed(
      'Pending transactions cannot be fetched from the Tatum API',
      this.apiProblem,
      report.apiProblem,
    );
    const counts = this.since;
    counts.cycles++;
    counts.pending += report.pending;
    counts.broadcast += report.broadcast;
    counts.denied += report.denied;
    counts.failed += report.failed;
    if (summarize || report.broadcast > 0 || report.errors.length > 0) {
      this.line(
        `Cycle: ${report.pending} pending, ${report.broadcast} broadcast, ${report.denied} denied, ${report.failed} failed`,
        {
          pending: report.pending,
          broadcast: report.broadcast,
          denied: report.denied,
          failed: report.failed,
        },
      );
    } else if (this.now() - this.lastLineAt >= HEARTBEAT_MS) {
      this.line(
        `Alive: ${counts.cycles} cycles since the last line, ${counts.pending} pending, ${counts.broadcast} broadcast, ${counts.denied} denied, ${counts.failed} failed`,
        { ...counts },
      );
    }
  }

  private line(message: string, fields: Record<string, number>): void {
    this.logger.log(logEvent(message, fields), 'Daemon');
    this.lastLineAt = this.now();
    this.since = empty();
  }

  /** Logs a problem when it appears or changes and when it is over; returns the current one. */
  private changed(what: string, before: string | undefined, now: string | undefined): string | undefined {
    if (now !== undefined && now !== before) this.logger.error(`${what}: ${now}`, 'Daemon');
    if (now === undefined && before !== undefined)
      this.logger.log(`${what.replace('cannot', 'can')} again`, 'Daemon');
    return now;
  }
}

function empty(): Counts {
  return { cycles: 0, pending: 0, broadcast: 0, denied: 0, failed: 0 };
}
