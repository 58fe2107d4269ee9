import { KmsMetrics } from '@kms/ops';
import type { CycleObserver, CycleReport } from '@kms/signing';
import { tatumOperation } from './tatum-operation';

/**
 * Feeds the daemon's Prometheus metrics: the pipeline's events (as its CycleObserver), the Tatum
 * client's calls and each cycle's end. Labels are chains, outcomes, operations and statuses only.
 */
export class DaemonMetrics implements CycleObserver {
  readonly metrics = new KmsMetrics();

  walletsPolled(chain: string, count: number): void {
    this.metrics.wallets.set({ chain }, count);
  }

  approvalTimed(seconds: number): void {
    this.metrics.approvalDuration.observe(seconds);
  }

  signingTimed(chain: string, seconds: number): void {
    this.metrics.signingDuration.observe({ chain }, seconds);
  }

  policyDecided(chain: string, rule: string, action: string): void {
    this.metrics.policyDecisions.inc({ chain, rule, action });
  }

  outcome(event: { chain: string; outcome: 'signed' | 'denied' | 'failed' }): void {
    this.metrics.transactions.inc({ chain: event.chain, outcome: event.outcome });
  }

  tatumRequest(method: string, path: string, status: number): void {
    this.metrics.tatumRequests.inc({ operation: tatumOperation(method, path), status: String(status) });
  }

  cycleEnded(report: CycleReport, seconds: number, endedAt: number): void {
    const ok = report.failed === 0;
    this.metrics.cycles.inc({ result: ok ? 'ok' : 'failed' });
    this.metrics.cycleDuration.observe(seconds);
    if (ok) this.metrics.lastSuccessfulCycle.set(Math.floor(endedAt / 1000));
  }
}
