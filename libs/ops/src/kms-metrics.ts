import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** How one pending transaction ended in a cycle. */
export type TransactionOutcome = 'signed' | 'denied' | 'failed';

/**
 * The daemon's Prometheus metrics, in their own registry (never the global one): what it did per chain
 * and outcome, its cycles, its calls to the Tatum API, approvals and signing times, and Node's default
 * process metrics. Labels are chains, outcomes, operations and HTTP statuses only: never a wallet id,
 * an address, a pending id or a key.
 */
export class KmsMetrics {
  readonly registry = new Registry();

  readonly transactions = new Counter({
    name: 'kms_transactions_total',
    help: 'Pending transactions by chain and outcome (signed: signed and handed to the API; denied: by the approval server; failed: reported to the API)',
    labelNames: ['chain', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly cycles = new Counter({
    name: 'kms_cycles_total',
    help: 'Daemon cycles by result (failed: a call of the cycle or a transaction failed)',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });
  readonly cycleDuration = new Histogram({
    name: 'kms_cycle_duration_seconds',
    help: 'Duration of a daemon cycle',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
    registers: [this.registry],
  });
  readonly wallets = new Gauge({
    name: 'kms_wallets',
    help: 'Wallets the daemon asks pending transactions for, by chain',
    labelNames: ['chain'] as const,
    registers: [this.registry],
  });
  readonly tatumRequests = new Counter({
    name: 'kms_tatum_requests_total',
    help: 'Requests to the Tatum API by operation and HTTP status (0: no answer)',
    labelNames: ['operation', 'status'] as const,
    registers: [this.registry],
  });
  readonly approvalDuration = new Histogram({
    name: 'kms_approval_duration_seconds',
    help: 'Time the four-eye approval server took to answer',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly signingDuration = new Histogram({
    name: 'kms_signing_duration_seconds',
    help: 'Time to sign one pending transaction (network calls of the signer included), by chain',
    labelNames: ['chain'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 30, 120],
    registers: [this.registry],
  });
  readonly policyDecisions = new Counter({
    name: 'kms_policy_decisions_total',
    help: 'Decisions of the local signing policy by chain, rule (its name in the policy file; "default" when no rule matched) and action',
    labelNames: ['chain', 'rule', 'action'] as const,
    registers: [this.registry],
  });
  readonly lastSuccessfulCycle = new Gauge({
    name: 'kms_last_successful_cycle_timestamp_seconds',
    help: 'Unix time at which the last cycle without any failure ended',
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** The Prometheus text exposition of every metric. */
  text(): Promise<string> {
    return this.registry.metrics();
  }
}
