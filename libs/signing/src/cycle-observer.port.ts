/** How one pending transaction ended in a cycle. */
export type TransactionOutcome = 'signed' | 'denied' | 'failed';

/**
 * One pending transaction's outcome: `txId` when signed (and handed to the API), `reason` when denied
 * or failed. Values from the API are already escaped and free of secrets.
 */
export interface OutcomeEvent {
  chain: string;
  /** The pending transaction's id; undefined for an item of the pending answer that had none. */
  pendingId?: string;
  outcome: TransactionOutcome;
  txId?: string;
  reason?: string;
}

/**
 * What the daemon's operations side (metrics) learns from the pipeline while a cycle runs. Every
 * method is optional and must not throw; none receives a wallet id, an address or a key.
 */
export interface CycleObserver {
  /** The number of wallets a chain's pending transactions were asked for. */
  walletsPolled?(chain: string, count: number): void;
  /** The four-eye server's answer took this long. */
  approvalTimed?(seconds: number): void;
  /** Signing one transaction of `chain` (network calls of the signer included) took this long. */
  signingTimed?(chain: string, seconds: number): void;
  /** The local policy decided on a transaction of `chain`: which rule (its name), which action. */
  policyDecided?(chain: string, rule: string, action: string): void;
  /** Each outcome, once, after OutcomeReporter logged it. */
  outcome?(event: OutcomeEvent): void;
}
