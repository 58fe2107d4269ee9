import { KmsError } from '@kms/common';
import { nodeUrlSecrets, redactSecrets, safeDecode } from './node-url-secrets';

export class NodeRpcError extends KmsError {
  constructor(chain: string, detail: string) {
    super('NODE_RPC_ERROR', `${chain} node: ${detail}`);
  }
}

/** A node's answer to a signing call is small (a status, a block, an estimate): larger ones are refused. */
export const MAX_NODE_ANSWER_BYTES = 4 * 1024 * 1024;

/**
 * JSON-RPC 2.0 to a node the operator configured (TATUM_KMS_NODE_URL_<CHAIN>). One attempt per call
 * (a submitted transaction must not be sent twice blindly), a timeout, answers of at most
 * MAX_NODE_ANSWER_BYTES, and errors that show the node's origin only: a node URL may carry an access
 * token in its path or query, or `user:password@` (sent as a Basic authorization header). A node's
 * own error message is shown with every part of its URL that may be a credential redacted.
 */
export class NodeRpcClient {
  private id = 0;
  private readonly url: string;
  private readonly origin: string;
  private readonly authorization?: string;
  private readonly secrets: string[];

  constructor(
    private readonly chain: string,
    url: string,
    private readonly timeoutMs = 30_000,
  ) {
    const parsed = new URL(url);
    if (parsed.username || parsed.password) {
      const pair = `${safeDecode(parsed.username)}:${safeDecode(parsed.password)}`;
      this.authorization = `Basic ${Buffer.from(pair).toString('base64')}`;
      parsed.username = '';
      parsed.password = '';
    }
    this.url = parsed.href.replace(/\/+$/, '');
    this.origin = parsed.origin;
    this.secrets = nodeUrlSecrets(url);
  }

  async call(method: string, params: unknown[] | Record<string, unknown>): Promise<unknown> {
    const response = await this.fetch(this.url, 'POST', method, {
      jsonrpc: '2.0',
      id: ++this.id,
      method,
      params,
    });
    const reply = (await this.json(response, method)) as
      { result?: unknown; error?: { code?: number; message?: string } } | undefined;
    if (reply === undefined || typeof reply !== 'object' || reply === null) {
      throw new NodeRpcError(
        this.chain,
        `${method} at ${this.origin}: HTTP ${response.status}, not a JSON-RPC answer`,
      );
    }
    if (reply.error) {
      const message = redactSecrets(String(reply.error.message ?? 'error'), this.secrets).slice(0, 300);
      throw new NodeRpcError(this.chain, `${method} failed: ${message} (${reply.error.code ?? '?'})`);
    }
    return reply.result;
  }

  /** A REST call to the node: `{method} {url}/{path}` (VeChain, MultiversX and Rosetta nodes). */
  async rest(method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> {
    const label = path.split('?')[0];
    const response = await this.fetch(this.pathUrl(path), method, label, body);
    const json = await this.json(response, label);
    if (json === undefined) {
      throw new NodeRpcError(
        this.chain,
        `${label} at ${this.origin}: HTTP ${response.status}, not a JSON answer`,
      );
    }
    return json;
  }

  /**
   * A REST call whose HTTP status matters (Flow access nodes answer 404 and 400 with meaning): the
   * status and the JSON body (undefined when the body is not JSON). Rejects only when no answer came
   * or it is too large.
   */
  async request(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: unknown }> {
    const label = path.split('?')[0];
    const response = await this.fetch(this.pathUrl(path), method, label, body);
    return { status: response.status, body: await this.json(response, label) };
  }

  private pathUrl(path: string): string {
    return `${this.url}/${path.replace(/^\/+/, '')}`;
  }

  private async fetch(url: string, method: 'GET' | 'POST', label: string, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = body === undefined ? {} : { 'content-type': 'application/json' };
    if (this.authorization) headers.authorization = this.authorization;
    try {
      return await fetch(url, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      const reason =
        (error as Error)?.name === 'TimeoutError' ? `timed out after ${this.timeoutMs} ms` : 'unreachable';
      throw new NodeRpcError(this.chain, `${label} at ${this.origin}: ${reason}`);
    }
  }

  /** The parsed body; undefined when it is not JSON; NodeRpcError when it is too large or breaks off. */
  private async json(response: Response, label: string): Promise<unknown> {
    const declared = Number(response.headers.get('content-length'));
    const tooLarge = () =>
      new NodeRpcError(
        this.chain,
        `${label} at ${this.origin}: answer larger than ${MAX_NODE_ANSWER_BYTES} bytes`,
      );
    if (declared > MAX_NODE_ANSWER_BYTES) {
      await response.body?.cancel().catch(() => undefined);
      throw tooLarge();
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    try {
      for await (const chunk of response.body ?? []) {
        size += chunk.length;
        if (size > MAX_NODE_ANSWER_BYTES) {
          await response.body?.cancel().catch(() => undefined);
          throw tooLarge();
        }
        chunks.push(chunk);
      }
    } catch (error) {
      if (error instanceof NodeRpcError) throw error;
      const reason =
        (error as Error)?.name === 'TimeoutError'
          ? `timed out after ${this.timeoutMs} ms`
          : 'the answer broke off';
      throw new NodeRpcError(this.chain, `${label} at ${this.origin}: ${reason}`);
    }
    try {
      return JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return undefined;
    }
  }
}
