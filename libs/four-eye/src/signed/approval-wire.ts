import { createHmac, randomBytes, sign, timingSafeEqual, verify, type KeyObject } from 'node:crypto';

/**
 * The wire format of signed approvals (docs/approval-protocol.md), version 1.
 *
 * Request: `POST {externalUrl}/{pendingId}`, `content-type: application/json`, the header
 * `x-kms-signature` over the exact body bytes (`hmac-sha256=<hex>` with the shared secret, or
 * `ed25519=<base64>` with the KMS's own key), body:
 * `{version: 1, pendingId, chain, payloadHash, summary, requestedAt, nonce}`.
 *
 * Answer: HTTP 200, `x-kms-signature` over the exact answer bytes (`hmac-sha256=<hex>` with the
 * shared secret, or `ed25519=<base64>` with the approval server's key), body
 * `{pendingId, payloadHash, nonce, decision: "APPROVE" | "REJECT", reason?}`. The answer must repeat
 * the request's pendingId, payloadHash and nonce (fresh per request), so an approval is bound to the
 * payload it was asked for and cannot be replayed for another request.
 */
export const SIGNATURE_HEADER = 'x-kms-signature';
export const WIRE_VERSION = 1;

export interface ApprovalRequestBody {
  version: typeof WIRE_VERSION;
  pendingId: string;
  chain: string;
  payloadHash: string;
  summary: unknown;
  requestedAt: string;
  nonce: string;
}

export interface ApprovalAnswerBody {
  pendingId: string;
  payloadHash: string;
  nonce: string;
  decision: 'APPROVE' | 'REJECT';
  reason?: string;
}

export function newNonce(): string {
  return randomBytes(16).toString('hex');
}

/**
 * How requests are signed and answers verified: HMAC-SHA256 with one secret both sides know, or
 * Ed25519 (the KMS signs with its own key, kept in its store; answers verify with the server's public
 * key, so the server never holds anything that can forge a KMS request, and vice versa).
 */
export interface ApprovalScheme {
  /** The header value for a request body. */
  sign(body: Buffer): string;
  /** True when `header` is a valid signature of the answer body by the approval server. */
  verify(body: Buffer, header: string | undefined): boolean;
  /** Why an answer that does not verify is refused (short, safe to log). */
  readonly unsignedReason: string;
}

export function hmacScheme(secret: string): ApprovalScheme {
  return {
    sign: (body) => signatureHeader(body, secret),
    verify: (body, header) => verifySignatureHeader(body, header, secret),
    unsignedReason: 'the answer is not signed with the shared secret',
  };
}

/** Ed25519: requests signed with `kmsKey` (private), answers verified with `serverKey` (public). */
export function ed25519Scheme(kmsKey: KeyObject, serverKey: KeyObject): ApprovalScheme {
  return {
    sign: (body) => `ed25519=${sign(null, body, kmsKey).toString('base64')}`,
    verify: (body, header) => {
      const match = /^ed25519=([A-Za-z0-9+/]{86}==)$/.exec(header?.trim() ?? '');
      return match !== null && verify(null, body, serverKey, Buffer.from(match[1], 'base64'));
    },
    unsignedReason: "the answer is not signed with the approval server's key",
  };
}

/** The header value signing `body` with the shared secret. */
export function signatureHeader(body: Buffer, secret: string): string {
  return `hmac-sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** True when `header` is the signature of `body` with the shared secret (constant-time compare). */
export function verifySignatureHeader(body: Buffer, header: string | undefined, secret: string): boolean {
  const match = /^hmac-sha256=([0-9a-f]{64})$/.exec(header?.trim() ?? '');
  if (!match) return false;
  const expected = createHmac('sha256', secret).update(body).digest();
  return timingSafeEqual(expected, Buffer.from(match[1], 'hex'));
}

/**
 * Reads a verified answer body: the decision if it is well formed and repeats the request's
 * pendingId, payloadHash and nonce; otherwise why not (short, safe to log).
 */
export function readAnswer(
  text: string,
  request: ApprovalRequestBody,
): { decision: 'APPROVE' | 'REJECT'; reason?: string } | { invalid: string } {
  let answer: Partial<ApprovalAnswerBody>;
  try {
    answer = JSON.parse(text) as Partial<ApprovalAnswerBody>;
  } catch {
    return { invalid: 'the signed answer is not JSON' };
  }
  if (typeof answer !== 'object' || answer === null) return { invalid: 'the signed answer is not an object' };
  if (answer.pendingId !== request.pendingId)
    return { invalid: 'the signed answer names another pending id' };
  if (answer.payloadHash !== request.payloadHash) {
    return { invalid: 'the signed answer approves another payload (payloadHash differs)' };
  }
  if (answer.nonce !== request.nonce)
    return { invalid: 'the signed answer is for another request (nonce differs: replayed?)' };
  if (answer.decision !== 'APPROVE' && answer.decision !== 'REJECT') {
    return { invalid: 'the signed answer has no decision APPROVE or REJECT' };
  }
  return {
    decision: answer.decision,
    reason: typeof answer.reason === 'string' ? answer.reason : undefined,
  };
}
