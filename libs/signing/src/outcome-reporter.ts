import { Logger } from '@nestjs/common';
import { logEvent } from '@kms/common';
import type { CycleObserver, OutcomeEvent } from './cycle-observer.port';

/** Denied ids remembered so a denial is logged once; beyond this many the oldest are forgotten. */
const DENIED_IDS_REMEMBERED = 100_000;

/**
 * The one place where the outcome of a pending transaction is told: a log line at info (signed, with
 * its txId; denied, with the approval server's reason) or error (failed, with the reason), with the
 * fields `pendingId`, `chain`, `outcome`, `txId`/`reason`, then the observers (metrics). A pending
 * transaction the approval server keeps denying is asked again every cycle, as in tatum-kms, but its
 * denial is logged once (observers still see every one).
 */
export class OutcomeReporter {
  private readonly logger = new Logger('SigningPipeline');
  private readonly observers: CycleObserver[] = [];
  private readonly deniedLogged = new Set<string>();

  /** Adds an observer of every cycle event (the daemon's metrics). */
  observe(observer: CycleObserver): void {
    this.observers.push(observer);
  }

  report(event: OutcomeEvent): void {
    const fields = {
      pendingId: event.pendingId,
      chain: event.chain,
      outcome: event.outcome,
      txId: event.txId,
      reason: event.reason,
    };
    const id = event.pendingId ?? '(without id)';
    if (event.outcome === 'signed') {
      this.deniedLogged.delete(`${event.chain}:${id}`);
      const what =
        event.txId === undefined ? 'taken by the API (its answer has no txId)' : `txId ${event.txId}`;
      this.logger.log(logEvent(`Broadcast ${event.chain} transaction ${id}: ${what}`, fields));
    } else if (event.outcome === 'denied') {
      if (this.firstDenial(`${event.chain}:${id}`)) {
        this.logger.log(logEvent(`Not signing ${event.chain} transaction ${id}: ${event.reason}`, fields));
      }
    } else {
      this.logger.error(logEvent(`Failed ${event.chain} transaction ${id}: ${event.reason}`, fields));
    }
    for (const observer of this.observers) observer.outcome?.(event);
  }

  /** Forwards a non-outcome event to the observers. */
  notify(visit: (observer: CycleObserver) => void): void {
    for (const observer of this.observers) visit(observer);
  }

  private firstDenial(key: string): boolean {
    if (this.deniedLogged.has(key)) return false;
    if (this.deniedLogged.size >= DENIED_IDS_REMEMBERED) {
      this.deniedLogged.delete(this.deniedLogged.values().next().value!);
    }
    this.deniedLogged.add(key);
    return true;
  }
}
