import type { INestApplicationContext, LoggerService } from '@nestjs/common';
import { SigningPipeline, type CycleReport, type OutcomeEvent } from '@kms/signing';
import { TatumClient } from '@kms/tatum';
import { CycleNarrator } from '../daemon/cycle-narrator';
import { DaemonMetrics } from '../daemon/daemon-metrics';

export interface ObservedCycle {
  report: CycleReport;
  /** The daemon's outcome of each pending transaction, by pending id. */
  outcomes: ReadonlyMap<string, OutcomeEvent>;
  /** The daemon's Prometheus metrics of the cycle. */
  metrics: DaemonMetrics;
}

/**
 * ONE cycle of the daemon's SigningPipeline for `chains`, observed as the `daemon` command observes
 * it: its metrics (pipeline events, Tatum requests, the cycle's end) and its narrator's summary line
 * on `logger`; and the outcome of each pending transaction, collected for the sandbox's table.
 */
export async function runObservedCycle(
  app: INestApplicationContext,
  chains: readonly string[],
  logger: LoggerService,
): Promise<ObservedCycle> {
  const metrics = new DaemonMetrics();
  const pipeline = app.get(SigningPipeline);
  const outcomes = new Map<string, OutcomeEvent>();
  pipeline.observe(metrics);
  pipeline.observe({ outcome: (event) => void (event.pendingId && outcomes.set(event.pendingId, event)) });
  app.get(TatumClient).observeRequests((method, path, status) => metrics.tatumRequest(method, path, status));
  const started = performance.now();
  const report = await pipeline.runCycle({ chains });
  metrics.cycleEnded(report, (performance.now() - started) / 1000, Date.now());
  new CycleNarrator(logger).cycleEnded(report, true);
  return { report, outcomes, metrics };
}
