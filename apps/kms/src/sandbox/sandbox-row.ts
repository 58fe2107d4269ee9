import type { Verification } from './demo-chains';
import type { Expectation } from './sandbox-scenario';

/** One pending transaction of a sandbox run: what the daemon did with it and the local check. */
export interface SandboxRow {
  pendingId: string;
  chain: string;
  /** What the transaction is ("transfer of 0.0123 ETH", "malformed payload ..."). */
  transaction: string;
  /** The four-eye server's verdict; 'not asked' when the daemon stopped before asking. */
  approval: 'approved' | 'denied' | 'not asked';
  /** The daemon's outcome; 'none' when it told none (never expected). */
  outcome: 'signed' | 'denied' | 'failed' | 'none';
  /** The id the broadcast answered (signed). */
  txId?: string;
  /** Why it was denied or failed, as the daemon logged it. */
  reason?: string;
  /** A failure the daemon reported to the API's error batch, as tatum-kms does. */
  reportedToApi?: boolean;
  /** The local check of the signed transaction (signed only). */
  check?: Verification;
  expected: Expectation;
  /** The outcome is the expected one; a signed one verifies; a failed one was reported. */
  asExpected: boolean;
}
