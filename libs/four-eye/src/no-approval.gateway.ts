import type { ApprovalDecision, ApprovalGateway, ApprovalSubject } from './approval-gateway.port';

/** Testnet without --externalUrl: no four-eye check, every transaction is approved. */
export class NoApprovalGateway implements ApprovalGateway {
  async approve<T extends ApprovalSubject>(_tx: T): Promise<ApprovalDecision> {
    return { approved: true };
  }
}

/**
 * Mainnet without --externalUrl: the daemon refuses to start (assertFourEyeConfigured); should
 * anything still ask, every transaction is denied with the same reason.
 */
export class DenyAllApprovalGateway implements ApprovalGateway {
  constructor(private readonly reason: string) {}

  async approve<T extends ApprovalSubject>(_tx: T): Promise<ApprovalDecision> {
    return { approved: false, reason: this.reason };
  }
}
