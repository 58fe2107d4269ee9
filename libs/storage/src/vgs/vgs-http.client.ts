import { setTimeout as sleep } from 'node:timers/promises';
import { VaultError } from '../storage.errors';

export interface VgsHttpOptions {
  /** Attempts per request, the first included (default 5). */
  attempts?: number;
  /** First backoff delay; doubles per retry, with jitter (default 100 ms). */
  baseDelayMs?: number;
  /** Cap of any delay, Retry-After included (default 10 s). */
  maxDelayMs?: number;
  /** Per attempt (default 30 s). */
  timeoutMs?: number;
}

export interface VgsSettings {
  vgsUrl: string;
  vgsUsername?: string;
  vgsPassword?: string;
}

const RETRIED = new Set([429, 500, 502, 503, 504]);

/**
 * The VGS vault HTTP API (aliases), as tatum-kms uses it: basic auth with the vault's access
 * credentials (TATUM_KMS_VGS_USERNAME / TATUM_KMS_VGS_PASSWORD), JSON bodies with a `data` array.
 *   POST   /aliases            {data: [{value, classifiers, format}, ...]} (1-20) -> data[i].aliases[0].alias
 *   GET    /aliases/{alias}    -> data[0].value        (404: no such alias)
 *   DELETE /aliases/{alias}    (404: already gone)
 * 429 and 5xx answers and network failures are retried (bounded, honouring Retry-After); every
 * failure becomes a VaultError that names the vault's address and the status, never a credential,
 * an alias or a value. Node's fetch keeps connections alive.
 */
export class VgsHttpClient {
  /** HTTP requests made, retries included. */
  calls = 0;
  readonly display: string;
  private readonly base: string;
  readonly #authorization?: string;

  constructor(
    settings: VgsSettings,
    private readonly options: VgsHttpOptions = {},
  ) {
    const url = new URL(settings.vgsUrl);
    if (url.username || url.password)
      throw new VaultError(
        'vgs',
        'TATUM_KMS_VGS_URL must not contain credentials; set TATUM_KMS_VGS_USERNAME and TATUM_KMS_VGS_PASSWORD',
      );
    this.base = settings.vgsUrl.replace(/\/+$/, '');
    this.display = `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
    if (settings.vgsUsername && settings.vgsPassword)
      this.#authorization = `Basic ${Buffer.from(`${settings.vgsUsername}:${settings.vgsPassword}`).toString('base64')}`;
  }

  /** Stores `values` (at most 20, the API's limit per request) and returns their aliases, in order. */
  async create(values: string[], classifiers: string[]): Promise<string[]> {
    const answer = await this.request('POST', '/aliases', {
      data: values.map((value) => ({ value, classifiers, format: 'UUID' })),
    });
    const data = (answer.body as { data?: Array<{ aliases?: Array<{ alias?: unknown }> }> })?.data;
    const aliases = Array.isArray(data) ? data.map((item) => item?.aliases?.[0]?.alias) : [];
    if (aliases.length !== values.length || !aliases.every((alias) => typeof alias === 'string' && alias))
      throw this.unexpected('POST');
    return aliases as string[];
  }

  /** The value behind `alias`, or undefined if VGS does not know it (never created, or deleted). */
  async reveal(alias: string): Promise<string | undefined> {
    const answer = await this.request('GET', `/aliases/${encodeURIComponent(alias)}`);
    if (answer.status === 404) return undefined;
    const value = (answer.body as { data?: Array<{ value?: unknown }> })?.data?.[0]?.value;
    if (typeof value !== 'string') throw this.unexpected('GET');
    return value;
  }

  /** Deletes `alias`; one that is already gone is not an error. */
  async delete(alias: string): Promise<void> {
    await this.request('DELETE', `/aliases/${encodeURIComponent(alias)}`);
  }

  private async request(
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body?: unknown }> {
    if (!this.#authorization)
      throw new VaultError('vgs', 'TATUM_KMS_VGS_USERNAME and TATUM_KMS_VGS_PASSWORD must both be set');
    const attempts = Math.max(1, this.options.attempts ?? 5);
    for (let attempt = 1; ; attempt++) {
      let response: Response;
      try {
        this.calls++;
        response = await fetch(`${this.base}${path}`, {
          method,
          headers: {
            authorization: this.#authorization,
            accept: 'application/json',
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
          redirect: 'error',
        });
      } catch (error) {
        if (attempt >= attempts)
          throw new VaultError('vgs', `cannot reach ${this.display} (${networkReason(error)})`, error);
        await sleep(this.backoff(attempt));
        continue;
      }
      if (response.ok || response.status === 404) {
        const text = await response.text().catch(() => '');
        if (response.status === 404 || !text) return { status: response.status };
        try {
          return { status: response.status, body: JSON.parse(text) };
        } catch {
          throw this.unexpected(method);
        }
      }
      await response.body?.cancel().catch(() => undefined);
      if (response.status === 401 || response.status === 403)
        throw new VaultError(
          'vgs',
          `${this.display} refused the credentials (HTTP ${response.status}); check TATUM_KMS_VGS_USERNAME and TATUM_KMS_VGS_PASSWORD`,
        );
      if (!RETRIED.has(response.status) || attempt >= attempts)
        throw new VaultError(
          'vgs',
          `${method} ${path.startsWith('/aliases/') ? '/aliases/{alias}' : path} failed with HTTP ${response.status}` +
            (RETRIED.has(response.status) ? ` after ${attempt} attempts` : ''),
        );
      await sleep(this.backoff(attempt, response.headers.get('retry-after')));
    }
  }

  /** Retry-After (seconds or an HTTP date) when given, else exponential with jitter; capped. */
  private backoff(attempt: number, retryAfter?: string | null): number {
    const cap = this.options.maxDelayMs ?? 10_000;
    if (retryAfter) {
      const seconds = Number(retryAfter);
      const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(retryAfter) - Date.now();
      if (Number.isFinite(ms)) return Math.min(cap, Math.max(0, ms));
    }
    const base = (this.options.baseDelayMs ?? 100) * 2 ** (attempt - 1);
    return Math.min(cap, base * (1 + Math.random() / 2));
  }

  private unexpected(method: string): VaultError {
    return new VaultError('vgs', `${this.display} gave an unexpected answer to ${method} /aliases`);
  }
}

function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } })?.cause;
  if (typeof cause?.code === 'string') return cause.code;
  if (cause?.message === 'bad port') return 'a port that fetch refuses to use';
  const name = (error as { name?: unknown })?.name;
  if (name === 'TimeoutError' || name === 'AbortError') return 'timed out';
  return 'network error';
}
