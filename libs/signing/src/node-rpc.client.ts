import { KmsError } from '@kms/common';

export class NodeRpcError extends KmsError {
  constructor(chain: string, detail: string) {
    super('NODE_RPC_ERROR', `${chain} node: ${detail}`);
  }
}

/**
 * JSON-RPC 2.0 to a node the operator configured (TATUM_KMS_NODE_URL_<CHAIN>). One attempt per call
 * (a submitted transaction must not be sent twice blindly), a timeout, and errors that show the
 * node's origin only (a node URL may carry an access token in its path or query).
 */
export class NodeRpcClient {
  private id = 0;

  constructor(
    private readonly chain: string,
    private readonly url: string,
    private readonly timeoutMs = 30_000,
  ) {}

  async call(method: string, params: unknown[]): Promise<unknown> {
    const origin = new URL(this.url).origin;
    let response: Response;
    try {
      response = await fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: ++this.id, method, params }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      const reason =
        (error as Error)?.name === 'TimeoutError' ? `timed out after ${this.timeoutMs} ms` : 'unreachable';
      throw new NodeRpcError(this.chain, `${method} at ${origin}: ${reason}`);
    }
    let reply: { result?: unknown; error?: { code?: number; message?: string } };
    try {
      reply = (await response.json()) as typeof reply;
    } catch {
      throw new NodeRpcError(
        this.chain,
        `${method} at ${origin}: HTTP ${response.status}, not a JSON-RPC answer`,
      );
    }
    if (reply.error) {
      throw new NodeRpcError(
        this.chain,
        `${method} failed: ${String(reply.error.message ?? 'error').slice(0, 300)} (${reply.error.code ?? '?'})`,
      );
    }
    return reply.result;
  }

  /** A REST call to the node: `{method} {url}/{path}` (VeChain, MultiversX and Rosetta nodes). */
  async rest(method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> {
    return this.send(`${this.url}/${path.replace(/^\/+/, '')}`, method, path.split('?')[0], body);
  }

  /**
   * A REST call whose HTTP status matters (Flow access nodes answer 404 and 400 with meaning): the
   * status and the JSON body (undefined when the body is not JSON). Rejects only when no answer came.
   */
  async request(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: unknown }> {
    const response = await this.fetch(
      `${this.url}/${path.replace(/^\/+/, '')}`,
      method,
      path.split('?')[0],
      body,
    );
    let json: unknown;
    try {
      json = await response.json();
    } catch {
      json = undefined;
    }
    return { status: response.status, body: json };
  }

  private async send(url: string, method: 'GET' | 'POST', label: string, body?: unknown): Promise<unknown> {
    const response = await this.fetch(url, method, label, body);
    const origin = new URL(this.url).origin;
    try {
      return await response.json();
    } catch {
      throw new NodeRpcError(this.chain, `${label} at ${origin}: HTTP ${response.status}, not a JSON answer`);
    }
  }

  private async fetch(url: string, method: 'GET' | 'POST', label: string, body?: unknown): Promise<Response> {
    const origin = new URL(this.url).origin;
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      const reason =
        (error as Error)?.name === 'TimeoutError' ? `timed out after ${this.timeoutMs} ms` : 'unreachable';
      throw new NodeRpcError(this.chain, `${label} at ${origin}: ${reason}`);
    }
    return response;
  }
}
