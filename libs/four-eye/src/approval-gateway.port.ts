import { Inject } from '@nestjs/common';

/** What the gateway needs of a pending transaction: its id; the whole object is the POST body. */
export interface ApprovalSubject {
  readonly id: string;
}

/** The verdict on one pending transaction. `reason` is short, has no secret and is safe to log. */
export type ApprovalDecision = { approved: true } | { approved: false; reason: string };

export interface ApproveOptions {
  /** Aborting (e.g. at shutdown) ends the request early; the transaction is then not approved. */
  signal?: AbortSignal;
  /**
   * What will be signed, for gateways that bind their approval to it (signed mode): the chain, the
   * hash of the pending transaction's signing payload (payloadHash in @kms/signing) and the chain's
   * summary of it. tatum-kms's GET/POST check ignores it.
   */
  binding?: { chain: string; payloadHash: string; summary?: unknown };
}

/**
 * The four-eye check: asks the user's approval server whether a pending transaction may be signed.
 * Fails closed: anything other than a clear approval is `{ approved: false, reason }`. approve()
 * resolves for every server behaviour (timeout, redirect, error status, network failure); it
 * rejects only on programming errors, such as a transaction that cannot be serialised to JSON.
 */
export interface ApprovalGateway {
  approve<T extends ApprovalSubject>(tx: T, options?: ApproveOptions): Promise<ApprovalDecision>;
}

export const APPROVAL_GATEWAY = Symbol('APPROVAL_GATEWAY');
export const InjectApprovalGateway = (): ParameterDecorator => Inject(APPROVAL_GATEWAY);
