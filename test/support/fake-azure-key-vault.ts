import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from 'selfsigned';

/** What a request to the fake is, for fault injection and counting. */
export type FakeAzureRoute =
  | 'metadata' // GET /{tenant}/v2.0/.well-known/openid-configuration
  | 'token' // POST /{tenant}/oauth2/v2.0/token
  | 'get' // GET /secrets/{name}[/{version}]
  | 'set' // PUT /secrets/{name}
  | 'list' // GET /secrets
  | 'delete' // DELETE /secrets/{name}
  | 'getDeleted' // GET /deletedsecrets/{name}
  | 'purge' // DELETE /deletedsecrets/{name}
  | 'recover' // POST /deletedsecrets/{name}/recover
  | 'unknown';

/**
 * A scripted failure: an HTTP status (optionally with Retry-After seconds and a body), a dropped
 * connection ('close'), or no answer at all until the fake stops ('hang').
 */
export type FakeAzureFault =
  number | 'close' | 'hang' | { status: number; retryAfter?: number | string; body?: unknown };

export interface FakeAzureKeyVaultOptions {
  tenantId?: string;
  clientId?: string;
  clientSecret?: string;
  /** Secrets per page of GET /secrets (Azure's maximum, and default, is 25). */
  pageSize?: number;
  /** Soft delete (default true, as Azure enforces today): a deleted secret stays recoverable until purged. */
  softDelete?: boolean;
  /** Purge protection: purging a deleted secret is refused with 403 (default false). */
  purgeProtection?: boolean;
  /** How long a deletion takes before the secret shows under /deletedsecrets (default 0 ms). */
  deletionDelayMs?: number;
}

export interface FakeAzureRequest {
  method: string;
  path: string;
  route: FakeAzureRoute;
  /** Whether it carried a token the fake issued (AAD routes: always false). */
  authenticated: boolean;
  status: number;
}

interface SecretVersion {
  version: string;
  value: string;
  tags?: Record<string, string>;
  contentType?: string;
  created: number;
  updated: number;
}

interface DeletedSecret {
  latest: SecretVersion;
  versions: SecretVersion[];
  deletedDate: number;
  /** Epoch ms from which GET /deletedsecrets/{name} finds it (the deletion has "completed"). */
  visibleAt: number;
}

const VAULT_RESOURCE = 'https://vault.azure.net';
const NAME = /^[0-9a-zA-Z-]{1,127}$/;

/**
 * A fake Azure Key Vault (secrets, REST api-version 7.x and 2025-07-01) plus the Microsoft Entra ID
 * (AAD) endpoints its clients use, over HTTPS on 127.0.0.1 with a self-signed certificate made at
 * start. The official SDKs (@azure/keyvault-secrets with ClientSecretCredential) talk to it unchanged:
 *
 * - Bearer challenge: a vault request without a token this fake issued gets 401 with
 *   `WWW-Authenticate: Bearer authorization="<authorityHost>/<tenant>", resource="https://vault.azure.net"`.
 *   The resource is not the vault's host, so clients need `disableChallengeResourceVerification`.
 * - Tokens: `GET /{tenant}/v2.0/.well-known/openid-configuration` and
 *   `POST /{tenant}/oauth2/v2.0/token` (client_credentials; a wrong client id or secret gets 401
 *   `invalid_client`, an unknown tenant 400 `invalid_tenant`). Use `authorityHost` as the credential's
 *   authority host, with instance discovery disabled.
 * - Secrets: PUT/GET `/secrets/{name}[/{version}]`, GET `/secrets` paged by `pageSize` with `nextLink`,
 *   DELETE `/secrets/{name}`, GET/DELETE `/deletedsecrets/{name}`, POST `/deletedsecrets/{name}/recover`,
 *   with soft delete: a deleted name cannot be set again until purged or recovered (409 Conflict,
 *   innererror ObjectIsDeletedButRecoverable).
 * - Faults per route: `failNext('set', { status: 429, retryAfter: 1 }, 2)`, `failNext('get', 'close')`,
 *   `failNext('list', 'hang')`,
 *   `failNext('token', 500)`. Vault faults hit authenticated requests only, so the challenge
 *   round trip is never what fails.
 * - Every request is recorded in `requests`; `count(route)` counts them.
 *
 * Clients trust the certificate through `ca` (an https.Agent in-process) or `caFile`
 * (`NODE_EXTRA_CA_CERTS` for child processes); `env()` gives a CLI everything it needs.
 */
export class FakeAzureKeyVault {
  readonly requests: FakeAzureRequest[] = [];
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** PEM of the self-signed certificate (also its own CA). */
  readonly ca: string;
  /** A file holding `ca`, for NODE_EXTRA_CA_CERTS. */
  readonly caFile: string;

  private readonly secrets = new Map<string, SecretVersion[]>();
  private readonly deleted = new Map<string, DeletedSecret>();
  private readonly tokens = new Map<string, number>();
  private faults: Array<{ route: FakeAzureRoute | 'vault'; fault: FakeAzureFault; remaining: number }> = [];
  private sortedNames?: string[];
  private readonly sockets = new Set<Socket>();
  private address: AddressInfo;

  private constructor(
    private readonly server: Server,
    private readonly options: FakeAzureKeyVaultOptions,
    ca: string,
    private readonly caDir: string,
  ) {
    this.tenantId = options.tenantId ?? '72f988bf-86f1-41af-91ab-2d7cd011db47';
    this.clientId = options.clientId ?? randomUUID();
    this.clientSecret = options.clientSecret ?? `fake~${randomBytes(18).toString('base64url')}`;
    this.ca = ca;
    this.caFile = join(caDir, 'fake-azure-ca.pem');
    writeFileSync(this.caFile, ca);
  }

  /** Generates a certificate for 127.0.0.1/localhost and listens on a free port of 127.0.0.1. */
  static async start(options: FakeAzureKeyVaultOptions = {}): Promise<FakeAzureKeyVault> {
    const pems = await generate([{ name: 'commonName', value: 'fake-azure-key-vault' }], {
      keyType: 'ec',
      curve: 'P-256',
      algorithm: 'sha256',
      extensions: [
        { name: 'basicConstraints', cA: true },
        { name: 'keyUsage', digitalSignature: true, keyCertSign: true },
        { name: 'extKeyUsage', serverAuth: true },
        {
          name: 'subjectAltName',
          altNames: [
            { type: 7, ip: '127.0.0.1' },
            { type: 2, value: 'localhost' },
          ],
        },
      ],
    });
    const server = createServer({ key: pems.private, cert: pems.cert });
    const fake = new FakeAzureKeyVault(
      server,
      options,
      pems.cert,
      mkdtempSync(join(tmpdir(), 'fake-azure-')),
    );
    server.on('connection', (socket: Socket) => {
      fake.sockets.add(socket);
      socket.once('close', () => fake.sockets.delete(socket));
    });
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      fake.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) send(res, 500, { error: { code: 'InternalError', message: String(error) } });
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    fake.address = server.address() as AddressInfo;
    return fake;
  }

  /** The vault URL, e.g. https://127.0.0.1:41234. */
  get url(): string {
    return `https://127.0.0.1:${this.address.port}`;
  }

  /** The AAD authority host (same server). */
  get authorityHost(): string {
    return this.url;
  }

  /**
   * Environment for the KMS CLI using this vault as its wallet store (TATUM_KMS_STORAGE=azure) and
   * trusting its certificate; `overrides` win (undefined removes a variable).
   */
  env(overrides: Record<string, string | undefined> = {}): Record<string, string | undefined> {
    return {
      NODE_EXTRA_CA_CERTS: this.caFile,
      TATUM_KMS_STORAGE: 'azure',
      TATUM_KMS_AZURE_VAULTURL: this.url,
      TATUM_KMS_AZURE_TENANT_ID: this.tenantId,
      TATUM_KMS_AZURE_CLIENT_ID: this.clientId,
      TATUM_KMS_AZURE_CLIENT_SECRET: this.clientSecret,
      TATUM_KMS_AZURE_AUTHORITY_HOST: this.authorityHost,
      TATUM_KMS_AZURE_DISABLE_CHALLENGE_VERIFICATION: 'true',
      ...overrides,
    };
  }

  /** Scripts a fault for the next `times` requests of `route` ('vault': any secrets route). */
  failNext(route: FakeAzureRoute | 'vault', fault: FakeAzureFault, times = 1): void {
    this.faults.push({ route, fault, remaining: times });
  }

  clearFaults(): void {
    this.faults = [];
  }

  /** Number of requests recorded for `route` (all routes when omitted). */
  count(route?: FakeAzureRoute | 'vault'): number {
    return this.requests.filter((request) => matches(route, request.route)).length;
  }

  /** Invalidates every issued token (the next vault request gets the challenge again). */
  revokeTokens(): void {
    this.tokens.clear();
  }

  /** Creates a secret directly (no HTTP, not recorded), e.g. to fill the vault for a benchmark. */
  seed(name: string, value: string, tags?: Record<string, string>): void {
    this.store(name, value, tags);
  }

  /** The current value of a secret, undefined when missing or deleted. */
  value(name: string): string | undefined {
    return this.secrets.get(name)?.at(-1)?.value;
  }

  tags(name: string): Record<string, string> | undefined {
    const tags = this.secrets.get(name)?.at(-1)?.tags;
    return tags && { ...tags };
  }

  /** The version ids of a secret, oldest first. */
  versions(name: string): string[] {
    return (this.secrets.get(name) ?? []).map((secret) => secret.version);
  }

  /** Names of the live (not deleted) secrets, sorted. */
  names(): string[] {
    return [...this.sorted()];
  }

  /** Deletes a secret directly (no HTTP), as the portal would: soft-deleted, not purged. */
  softDelete(name: string): void {
    const versions = this.secrets.get(name);
    if (!versions) throw new Error(`No secret ${name}`);
    this.secrets.delete(name);
    this.sortedNames = undefined;
    this.deleted.set(name, {
      latest: versions.at(-1)!,
      versions,
      deletedDate: Date.now(),
      visibleAt: Date.now(),
    });
  }

  /** Whether the name is deleted and still recoverable (soft delete, not purged). */
  isDeleted(name: string): boolean {
    return this.deleted.has(name);
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    rmSync(this.caDir, { recursive: true, force: true });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const method = req.method ?? 'GET';
    const route = routeOf(method, url.pathname);
    const aad = route === 'metadata' || route === 'token';
    const authenticated = !aad && this.authenticated(req.headers.authorization);
    const record: FakeAzureRequest = {
      method,
      path: url.pathname + url.search,
      route,
      authenticated,
      status: 0,
    };
    this.requests.push(record);
    res.once('finish', () => (record.status = res.statusCode));
    const body = await readBody(req);

    if (!aad && !authenticated) {
      res.setHeader(
        'WWW-Authenticate',
        `Bearer authorization="${this.authorityHost}/${this.tenantId}", resource="${VAULT_RESOURCE}"`,
      );
      return send(res, 401, {
        error: { code: 'Unauthorized', message: 'AKV10000: Request is missing a Bearer or PoP token.' },
      });
    }
    const fault = this.takeFault(route);
    if (fault !== undefined) return applyFault(res, fault);

    switch (route) {
      case 'metadata':
        return send(res, 200, this.openIdConfiguration(url.pathname.split('/')[1]));
      case 'token':
        return this.token(res, url.pathname.split('/')[1], new URLSearchParams(body));
      case 'unknown':
        return send(res, 404, { error: { code: 'NotFound', message: `No route ${method} ${url.pathname}` } });
      default:
        return this.secretRoute(route, url, body, res);
    }
  }

  private secretRoute(route: FakeAzureRoute, url: URL, body: string, res: ServerResponse): void {
    const [, , rawName, version] = url.pathname.split('/');
    const name = decodeURIComponent(rawName ?? '');
    switch (route) {
      case 'list':
        return send(res, 200, this.listPage(url));
      case 'set': {
        if (!NAME.test(name))
          return send(
            res,
            400,
            keyVaultError('BadParameter', 'The request URI contains an invalid name: ' + name),
          );
        if (this.deleted.has(name))
          return send(res, 409, {
            error: {
              code: 'Conflict',
              message: `Secret ${name} is currently in a deleted but recoverable state, and its name cannot be reused; in this state, the secret can only be recovered or purged.`,
              innererror: { code: 'ObjectIsDeletedButRecoverable' },
            },
          });
        let parsed: { value?: unknown; tags?: Record<string, string>; contentType?: string };
        try {
          parsed = JSON.parse(body) as typeof parsed;
        } catch {
          return send(res, 400, keyVaultError('BadParameter', 'The request body is not JSON'));
        }
        if (typeof parsed.value !== 'string')
          return send(res, 400, keyVaultError('BadParameter', 'Property value is required'));
        if (parsed.tags && Object.keys(parsed.tags).length > 15)
          return send(res, 400, keyVaultError('BadParameter', 'Too many tags (at most 15)'));
        const secret = this.store(name, parsed.value, parsed.tags, parsed.contentType);
        return send(res, 200, this.bundle(name, secret, true));
      }
      case 'get': {
        const versions = this.secrets.get(name);
        const secret = version ? versions?.find((v) => v.version === version) : versions?.at(-1);
        if (!secret)
          return send(
            res,
            404,
            keyVaultError(
              'SecretNotFound',
              `A secret with (name/id) ${name}${version ? `/${version}` : ''} was not found in this key vault.`,
            ),
          );
        return send(res, 200, this.bundle(name, secret, true));
      }
      case 'delete': {
        const versions = this.secrets.get(name);
        if (!versions)
          return send(
            res,
            404,
            keyVaultError(
              'SecretNotFound',
              `A secret with (name/id) ${name} was not found in this key vault.`,
            ),
          );
        this.secrets.delete(name);
        this.sortedNames = undefined;
        const latest = versions.at(-1)!;
        if (this.options.softDelete === false) return send(res, 200, this.bundle(name, latest, false));
        const now = Date.now();
        const entry: DeletedSecret = {
          latest,
          versions,
          deletedDate: now,
          visibleAt: now + (this.options.deletionDelayMs ?? 0),
        };
        this.deleted.set(name, entry);
        return send(res, 200, this.deletedBundle(name, entry));
      }
      case 'getDeleted': {
        const entry = this.deleted.get(name);
        if (!entry || entry.visibleAt > Date.now())
          return send(res, 404, keyVaultError('SecretNotFound', `Deleted Secret not found: ${name}`));
        return send(res, 200, this.deletedBundle(name, entry));
      }
      case 'purge': {
        const entry = this.deleted.get(name);
        if (!entry)
          return send(res, 404, keyVaultError('SecretNotFound', `Deleted Secret not found: ${name}`));
        if (this.options.purgeProtection)
          return send(
            res,
            403,
            keyVaultError(
              'Forbidden',
              'Operation "purge" is not allowed because purge protection is enabled for this vault.',
            ),
          );
        if (entry.visibleAt > Date.now())
          return send(res, 409, {
            error: {
              code: 'Conflict',
              message: `Secret ${name} is currently being deleted.`,
              innererror: { code: 'ObjectIsBeingDeleted' },
            },
          });
        this.deleted.delete(name);
        res.statusCode = 204;
        return void res.end();
      }
      case 'recover': {
        const entry = this.deleted.get(name);
        if (!entry)
          return send(res, 404, keyVaultError('SecretNotFound', `Deleted Secret not found: ${name}`));
        this.deleted.delete(name);
        this.secrets.set(name, entry.versions);
        this.sortedNames = undefined;
        return send(res, 200, this.bundle(name, entry.latest, false));
      }
      default:
        return send(res, 404, keyVaultError('NotFound', 'No such route'));
    }
  }

  /** One page of GET /secrets; `$skiptoken` is the last name of the previous page (names sorted). */
  private listPage(url: URL): unknown {
    const requested = Number(url.searchParams.get('maxresults') ?? '');
    const max = this.options.pageSize ?? 25;
    const size = Number.isInteger(requested) && requested > 0 ? Math.min(requested, max) : max;
    const names = this.sorted();
    const after = url.searchParams.get('$skiptoken');
    let start = 0;
    if (after !== null) {
      let lo = 0;
      let hi = names.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (names[mid] <= after) lo = mid + 1;
        else hi = mid;
      }
      start = lo;
    }
    const slice = names.slice(start, start + size);
    const value = slice.map((name) => {
      const latest = this.secrets.get(name)!.at(-1)!;
      const item = this.bundle(name, latest, false) as Record<string, unknown>;
      item.id = `${this.url}/secrets/${name}`;
      return item;
    });
    let nextLink: string | null = null;
    if (start + size < names.length) {
      const next = new URL('/secrets', this.url);
      next.searchParams.set('api-version', url.searchParams.get('api-version') ?? '7.4');
      next.searchParams.set('$skiptoken', slice.at(-1)!);
      next.searchParams.set('maxresults', String(size));
      nextLink = next.toString();
    }
    return { value, nextLink };
  }

  private token(res: ServerResponse, tenant: string, form: URLSearchParams): void {
    if (tenant !== this.tenantId)
      return send(res, 400, aadError('invalid_tenant', 90002, `Tenant '${tenant}' not found.`));
    if (form.get('grant_type') !== 'client_credentials')
      return send(
        res,
        400,
        aadError('unsupported_grant_type', 70003, 'The app requested an unsupported grant type.'),
      );
    if (form.get('client_id') !== this.clientId)
      return send(res, 401, aadError('invalid_client', 700016, 'Application not found in the directory.'));
    if (form.get('client_secret') !== this.clientSecret)
      return send(res, 401, aadError('invalid_client', 7000215, 'Invalid client secret provided.'));
    const scope = form.get('scope') ?? '';
    if (!scope.split(' ').includes(`${VAULT_RESOURCE}/.default`))
      return send(res, 400, aadError('invalid_scope', 70011, `The provided scope '${scope}' is not valid.`));
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      aud: VAULT_RESOURCE,
      iss: `${this.authorityHost}/${tenant}/v2.0`,
      iat: now,
      nbf: now,
      exp: now + 3600,
      appid: this.clientId,
      tid: tenant,
      oid: this.clientId,
    };
    const token = [{ typ: 'JWT', alg: 'none' }, claims, randomBytes(16).toString('hex')]
      .map((part) =>
        Buffer.from(typeof part === 'string' ? part : JSON.stringify(part)).toString('base64url'),
      )
      .join('.');
    this.tokens.set(token, (now + 3600) * 1000);
    return send(res, 200, {
      token_type: 'Bearer',
      expires_in: 3599,
      ext_expires_in: 3599,
      access_token: token,
    });
  }

  private openIdConfiguration(tenant: string): unknown {
    const base = `${this.authorityHost}/${tenant}`;
    return {
      token_endpoint: `${base}/oauth2/v2.0/token`,
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
      jwks_uri: `${base}/discovery/v2.0/keys`,
      response_modes_supported: ['query', 'fragment', 'form_post'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      issuer: `${base}/v2.0`,
      request_uri_parameter_supported: false,
      userinfo_endpoint: `${this.authorityHost}/oidc/userinfo`,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
      http_logout_supported: true,
      frontchannel_logout_supported: true,
      end_session_endpoint: `${base}/oauth2/v2.0/logout`,
      claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'tid'],
      tenant_region_scope: 'EU',
      cloud_instance_name: 'microsoftonline.com',
      cloud_graph_host_name: 'graph.windows.net',
      msgraph_host: 'graph.microsoft.com',
    };
  }

  private authenticated(header: string | undefined): boolean {
    const token = /^Bearer (.+)$/i.exec(header ?? '')?.[1];
    const expires = token ? this.tokens.get(token) : undefined;
    return expires !== undefined && expires > Date.now();
  }

  private takeFault(route: FakeAzureRoute): FakeAzureFault | undefined {
    const index = this.faults.findIndex((entry) => matches(entry.route, route));
    if (index < 0) return undefined;
    const entry = this.faults[index];
    if (--entry.remaining <= 0) this.faults.splice(index, 1);
    return entry.fault;
  }

  private store(
    name: string,
    value: string,
    tags?: Record<string, string>,
    contentType?: string,
  ): SecretVersion {
    const now = Math.floor(Date.now() / 1000);
    const secret: SecretVersion = {
      version: randomBytes(16).toString('hex'),
      value,
      tags,
      contentType,
      created: now,
      updated: now,
    };
    const versions = this.secrets.get(name);
    if (versions) versions.push(secret);
    else {
      this.secrets.set(name, [secret]);
      this.sortedNames = undefined;
    }
    return secret;
  }

  private sorted(): string[] {
    return (this.sortedNames ??= [...this.secrets.keys()].sort());
  }

  private bundle(name: string, secret: SecretVersion, withValue: boolean): Record<string, unknown> {
    return {
      ...(withValue ? { value: secret.value } : {}),
      id: `${this.url}/secrets/${name}/${secret.version}`,
      ...(secret.contentType ? { contentType: secret.contentType } : {}),
      attributes: {
        enabled: true,
        created: secret.created,
        updated: secret.updated,
        recoveryLevel:
          this.options.softDelete === false
            ? 'Purgeable'
            : this.options.purgeProtection
              ? 'Recoverable'
              : 'Recoverable+Purgeable',
        recoverableDays: this.options.softDelete === false ? 0 : 90,
      },
      ...(secret.tags ? { tags: secret.tags } : {}),
    };
  }

  private deletedBundle(name: string, entry: DeletedSecret): Record<string, unknown> {
    return {
      ...this.bundle(name, entry.latest, false),
      recoveryId: `${this.url}/deletedsecrets/${name}`,
      deletedDate: Math.floor(entry.deletedDate / 1000),
      scheduledPurgeDate: Math.floor(entry.deletedDate / 1000) + 90 * 86400,
    };
  }
}

function routeOf(method: string, path: string): FakeAzureRoute {
  const parts = path.split('/').slice(1);
  if (method === 'GET' && parts.length === 4 && parts[1] === 'v2.0' && parts[3] === 'openid-configuration')
    return 'metadata';
  if (method === 'POST' && parts.length === 4 && parts[1] === 'oauth2' && parts[3] === 'token')
    return 'token';
  if (parts[0] === 'secrets') {
    if (parts.length === 1 || (parts.length === 2 && parts[1] === ''))
      return method === 'GET' ? 'list' : 'unknown';
    if (method === 'GET' && (parts.length === 2 || parts.length === 3)) return 'get';
    if (method === 'PUT' && parts.length === 2) return 'set';
    if (method === 'DELETE' && parts.length === 2) return 'delete';
  }
  if (parts[0] === 'deletedsecrets' && parts.length >= 2) {
    if (method === 'GET' && parts.length === 2) return 'getDeleted';
    if (method === 'DELETE' && parts.length === 2) return 'purge';
    if (method === 'POST' && parts.length === 3 && parts[2] === 'recover') return 'recover';
  }
  return 'unknown';
}

function matches(filter: FakeAzureRoute | 'vault' | undefined, route: FakeAzureRoute): boolean {
  if (filter === undefined) return true;
  if (filter === 'vault') return route !== 'metadata' && route !== 'token';
  return filter === route;
}

function applyFault(res: ServerResponse, fault: FakeAzureFault): void {
  if (fault === 'close') {
    res.socket?.destroy();
    return;
  }
  if (fault === 'hang') return;
  const { status, retryAfter, body } =
    typeof fault === 'number' ? { status: fault, retryAfter: undefined, body: undefined } : fault;
  if (retryAfter !== undefined) res.setHeader('Retry-After', String(retryAfter));
  send(
    res,
    status,
    body ?? keyVaultError(status === 429 ? 'Throttled' : 'InternalServerError', `Injected fault ${status}`),
  );
}

function keyVaultError(code: string, message: string): unknown {
  return { error: { code, message } };
}

function aadError(error: string, code: number, description: string): unknown {
  return {
    error,
    error_description: `AADSTS${code}: ${description} Trace ID: ${randomUUID()} Correlation ID: ${randomUUID()} Timestamp: ${new Date().toISOString()}`,
    error_codes: [code],
    timestamp: new Date().toISOString(),
    trace_id: randomUUID(),
    correlation_id: randomUUID(),
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
