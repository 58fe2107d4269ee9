import { printable } from '@kms/common';
import type {
  ApprovalDecision,
  ApprovalGateway,
  ApprovalSubject,
  ApproveOptions,
} from '../approval-gateway.port';
import { DENIED } from '../four-eye.messages';
import {
  newNonce,
  readAnswer,
  SIGNATURE_HEADER,
  WIRE_VERSION,
  type ApprovalRequestBody,
  type ApprovalScheme,
} from './approval-wire';

/** Signed answers are small; a larger one denies. */
const MAX_ANSWER_BYTES = 64 * 1024;

export interface SignedApprovalOptions {
  /**
   * How requests are signed and answers verified (hmacScheme or ed25519Scheme). A function is called
   * at the first request (the KMS's Ed25519 key is read from the store then); if it fails, every
   * request is denied with its message.
   */
  scheme: ApprovalScheme | (() => Promise<ApprovalScheme>);
  /** Time allowed for the whole answer. Default 5000 ms; a later answer denies. */
  timeoutMs?: number;
  now?: () => Date;
}

/**
 * The strong four-eye check (`--externalUrlMethod SIGNED`): asks `POST {externalUrl}/{pendingId}` with
 * what will be signed (chain, payload hash, the chain's summary of the payload) in a signed body, and
 * approves only on a 200 answer signed with the shared secret that repeats the request's pendingId,
 * payloadHash and nonce with `decision: "APPROVE"`. Everything else denies: no binding to a payload,
 * an unsigned or wrongly signed answer, another id, hash or nonce (a replay), `REJECT`, a redirect,
 * an error status, a timeout, a network failure. Wire format: approval-wire.ts.
 */
export class SignedApprovalGateway implements ApprovalGateway {
  private readonly base: URL;
  private readonly timeoutMs: number;
  private scheme?: Promise<ApprovalScheme>;

  constructor(
    externalUrl: string,
    private readonly options: SignedApprovalOptions,
  ) {
    const url = URL.canParse(externalUrl) ? new URL(externalUrl) : undefined;
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      throw new TypeError('externalUrl must be an http(s) URL');
    }
    url.hash = '';
    this.base = url;
    this.timeoutMs = options.timeoutMs ?? 5_000;
  }

  async approve<T extends ApprovalSubject>(tx: T, options: ApproveOptions = {}): Promise<ApprovalDecision> {
    const binding = options.binding;
    if (!binding) return deny('signed approvals need the payload to bind to; none was given');
    if (typeof tx.id !== 'string' || tx.id === '' || tx.id === '.' || tx.id === '..')
      return deny(DENIED.badId);
    const request: ApprovalRequestBody = {
      version: WIRE_VERSION,
      pendingId: tx.id,
      chain: binding.chain,
      payloadHash: binding.payloadHash,
      summary: binding.summary ?? null,
      requestedAt: (this.options.now?.() ?? new Date()).toISOString(),
      nonce: newNonce(),
    };
    const body = Buffer.from(JSON.stringify(request));
    let scheme: ApprovalScheme;
    try {
      scheme = await this.loadScheme();
    } catch (error) {
      return deny(printable((error as Error).message, 300));
    }
    const url = new URL(this.base);
    url.pathname = `${this.base.pathname.replace(/\/+$/, '')}/${encodeURIComponent(tx.id)}`;
    const signals = [AbortSignal.timeout(this.timeoutMs), ...(options.signal ? [options.signal] : [])];
    try {
      const response = await fetch(url, {
        method: 'POST',
        redirect: 'manual',
        headers: {
          'content-type': 'application/json',
          [SIGNATURE_HEADER]: scheme.sign(body),
        },
        body,
        signal: AbortSignal.any(signals),
      });
      const answer = await readLimited(response);
      if (response.status >= 300 && response.status <= 399) return deny(DENIED.redirect(response.status));
      if (response.status !== 200) return deny(DENIED.status(response.status));
      if (answer === undefined) return deny('the signed answer is too large');
      if (!scheme.verify(answer, response.headers.get(SIGNATURE_HEADER) ?? undefined)) {
        return deny(scheme.unsignedReason);
      }
      const read = readAnswer(answer.toString('utf8'), request);
      if ('invalid' in read) return deny(read.invalid);
      if (read.decision === 'REJECT') {
        return deny(`rejected${read.reason ? `: ${printable(read.reason, 200)}` : ''}`);
      }
      return { approved: true };
    } catch (error) {
      if (options.signal?.aborted) return deny(DENIED.aborted);
      if ((error as { name?: string }).name === 'TimeoutError') return deny(DENIED.timeout(this.timeoutMs));
      const code = (error as { cause?: { code?: unknown } }).cause?.code;
      return deny(DENIED.failed(typeof code === 'string' ? code : 'no answer'));
    }
  }

  /** The scheme, loaded once; a failed load is retried at the next request (the store may be fixed). */
  private loadScheme(): Promise<ApprovalScheme> {
    const { scheme } = this.options;
    if (typeof scheme !== 'function') return Promise.resolve(scheme);
    this.scheme ??= scheme().catch((error: unknown) => {
      this.scheme = undefined;
      throw error;
    });
    return this.scheme;
  }
}

const deny = (reason: string): ApprovalDecision => ({ approved: false, reason });

/** The answer's bytes, or undefined past MAX_ANSWER_BYTES (the rest is not read). */
async function readLimited(response: Response): Promise<Buffer | undefined> {
  if (!response.body) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    size += chunk.length;
    if (size > MAX_ANSWER_BYTES) {
      await response.body.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}
