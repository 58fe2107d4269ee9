import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** Credentials the fake accepts by default. Obviously fake; never a real key pair. */
export const FAKE_AWS_CREDENTIALS = {
  accessKeyId: 'AKIAFAKEKMSTEST00001',
  secretAccessKey: 'fake/secret/access/key/for/kms/tests/0001',
} as const;

export interface AwsCredentialPair {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface FakeAwsSecretsManagerOptions {
  /** Key pairs whose requests are accepted (default: FAKE_AWS_CREDENTIALS). */
  credentials?: AwsCredentialPair[];
  /** Verify each request's SigV4 signature with the pair's secret key (default true). */
  verifySignatures?: boolean;
  /** Region and account used in ARNs (default us-east-1, 123456789012). */
  region?: string;
  accountId?: string;
  port?: number;
}

/**
 * A scripted failure of the next matching requests:
 * `throttle` (400 ThrottlingException), `server-error` (500 InternalServiceError), `access-denied`
 * (400 AccessDeniedException), `disconnect` (socket destroyed before the action runs), `disconnect-after`
 * (the action runs, then the socket is destroyed instead of answering: a lost response), or any
 * `{status, type}` error.
 */
export type AwsFault =
  | 'throttle'
  | 'server-error'
  | 'access-denied'
  | 'disconnect'
  | 'disconnect-after'
  | { status: number; type: string; message?: string };

export interface FakeSecretState {
  name: string;
  arn: string;
  value?: string;
  /** base64 of SecretBinary, when the secret holds bytes. */
  binary?: string;
  tags: Record<string, string>;
  versionId?: string;
  description?: string;
  createdDate: number;
  lastChangedDate: number;
  /** Set while the secret is scheduled for deletion (epoch seconds of the planned deletion). */
  deletionDate?: number;
}

export interface RecordedAwsRequest {
  action: string;
  /** The SecretId or Name of the request, when it has one. */
  secretId?: string;
  status: number | 'disconnected';
  accessKeyId?: string;
  /** ListSecrets: the Filters and MaxResults sent. */
  filters?: unknown;
  maxResults?: unknown;
}

const ACTIONS = [
  'CreateSecret',
  'PutSecretValue',
  'GetSecretValue',
  'DeleteSecret',
  'RestoreSecret',
  'ListSecrets',
  'TagResource',
  'UntagResource',
  'DescribeSecret',
] as const;
type Action = (typeof ACTIONS)[number];

const NAME = /^[A-Za-z0-9/_+=.@-]{1,512}$/;
const FILTER_KEYS = new Set([
  'description',
  'name',
  'tag-key',
  'tag-value',
  'primary-region',
  'owning-service',
  'all',
]);
const FILTER_VALUE = /^!?[a-zA-Z0-9 :_@/+=.\-!]*$/;
const MAX_SECRET_BYTES = 65_536;
const MAX_TAGS = 50;

class AwsServiceError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

const notFound = () =>
  new AwsServiceError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
const markedForDeletion = () =>
  new AwsServiceError(
    'InvalidRequestException',
    "You can't perform this operation on the secret because it was marked for deletion.",
  );
const invalidParameter = (message: string) => new AwsServiceError('InvalidParameterException', message);

/**
 * A fake AWS Secrets Manager on 127.0.0.1 speaking the service's JSON 1.1 protocol, for the real
 * `@aws-sdk/client-secrets-manager` client pointed at it with an endpoint override (unit specs, e2e
 * specs and benchmarks).
 *
 * - Protocol: `POST /` with `X-Amz-Target: secretsmanager.<Action>` and a JSON body; answers
 *   `application/x-amz-json-1.1`; errors are `{"__type", "message"}` with status 400 (500 for
 *   InternalServiceError), as the service sends them.
 * - Auth: every request must carry a SigV4 `Authorization` header for `secretsmanager`; an unknown
 *   access key id is UnrecognizedClientException, a wrong secret key (bad signature)
 *   InvalidSignatureException, a missing header MissingAuthenticationTokenException.
 * - Actions: CreateSecret, PutSecretValue (idempotent on ClientRequestToken), GetSecretValue,
 *   DeleteSecret (recovery window or ForceDeleteWithoutRecovery), RestoreSecret, ListSecrets (filters
 *   name / tag-key / tag-value / description / all with AWS's prefix and negation semantics, values
 *   ORed, filters ANDed; MaxResults <= 100; opaque NextToken; planned deletions hidden unless
 *   IncludePlannedDeletion), TagResource, UntagResource, DescribeSecret. SecretId is a name or an ARN.
 *   A secret scheduled for deletion refuses reads and writes with InvalidRequestException ("marked for
 *   deletion") and blocks CreateSecret of its name, until restored or force-deleted.
 * - Faults: `failNext(fault, count, action?, skip?)`; latency per request: `setLatency(ms)`.
 * - Accounting: `calls` per action and `requests` (every request, faulted and refused ones included).
 */
export class FakeAwsSecretsManager {
  /** Requests per action, faulted and refused ones included. */
  readonly calls: Record<string, number> = {};
  readonly requests: RecordedAwsRequest[] = [];

  private readonly secrets = new Map<string, FakeSecretState>();
  /** The secrets' names in ascending order, rebuilt after a create or delete (listing 25,000 stays cheap). */
  private sorted?: string[];
  private readonly keys = new Map<string, string>();
  private faults: Array<{ fault: AwsFault; remaining: number; action?: string; skip: number }> = [];
  private latencyMs = 0;
  private readonly sockets = new Set<Socket>();
  private address: AddressInfo;
  private readonly region: string;
  private readonly accountId: string;

  private constructor(
    private readonly server: Server,
    private readonly options: FakeAwsSecretsManagerOptions,
  ) {
    for (const pair of options.credentials ?? [FAKE_AWS_CREDENTIALS])
      this.keys.set(pair.accessKeyId, pair.secretAccessKey);
    this.region = options.region ?? 'us-east-1';
    this.accountId = options.accountId ?? '123456789012';
  }

  static async start(options: FakeAwsSecretsManagerOptions = {}): Promise<FakeAwsSecretsManager> {
    const server = createServer({ keepAliveTimeout: 30_000 });
    const fake = new FakeAwsSecretsManager(server, options);
    server.on('connection', (socket) => {
      fake.sockets.add(socket);
      socket.once('close', () => fake.sockets.delete(socket));
    });
    server.on('request', (req, res) => {
      fake.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent && !res.destroyed) {
          send(res, 500, {
            __type: 'InternalServiceError',
            message: error instanceof Error ? error.message : String(error),
          });
        }
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
    });
    fake.address = server.address() as AddressInfo;
    return fake;
  }

  /** The endpoint to configure (TATUM_KMS_AWS_ENDPOINT), e.g. http://127.0.0.1:41234 (still known after stop()). */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get port(): number {
    return this.address.port;
  }

  /** All requests so far. */
  get totalCalls(): number {
    return this.requests.length;
  }

  async stop(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  // --- scripting ------------------------------------------------------------------------------------

  /**
   * The next `count` requests (of `action`, if given) fail with `fault`, after `skip` matching ones
   * that pass (a failure mid-way through a batch); scripts apply in order.
   */
  failNext(fault: AwsFault, count = 1, action?: Action, skip = 0): void {
    this.faults.push({ fault, remaining: count, action, skip });
  }

  clearFaults(): void {
    this.faults = [];
  }

  /** Delay before each answer (simulated round trip). */
  setLatency(ms: number): void {
    this.latencyMs = ms;
  }

  resetCalls(): void {
    for (const key of Object.keys(this.calls)) delete this.calls[key];
    this.requests.length = 0;
  }

  // --- state ----------------------------------------------------------------------------------------

  /** Creates or replaces a secret directly (no request is counted). */
  seed(name: string, value: string, tags: Record<string, string> = {}): void {
    const now = epochSeconds();
    this.sorted = undefined;
    this.secrets.set(name, {
      name,
      arn: this.arnOf(name),
      value,
      tags: { ...tags },
      versionId: randomUUID(),
      createdDate: now,
      lastChangedDate: now,
    });
  }

  /** A copy of a secret's state (scheduled deletions included), or undefined. */
  secret(name: string): FakeSecretState | undefined {
    const secret = this.secrets.get(name);
    return secret && { ...secret, tags: { ...secret.tags } };
  }

  /** Names of the secrets that exist (scheduled deletions included), sorted. */
  names(): string[] {
    return [...this.secrets.keys()].sort();
  }

  /** Schedules a secret for deletion, as DeleteSecret with a recovery window would. */
  scheduleDeletion(name: string, days = 30): void {
    const secret = this.secrets.get(name);
    if (!secret) throw new Error(`no secret ${name}`);
    secret.deletionDate = epochSeconds() + days * 86_400;
  }

  removeAll(): void {
    this.sorted = undefined;
    this.secrets.clear();
  }

  // --- protocol -------------------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const target = String(req.headers['x-amz-target'] ?? '');
    const action = target.startsWith('secretsmanager.') ? target.slice('secretsmanager.'.length) : target;
    this.calls[action] = (this.calls[action] ?? 0) + 1;
    let input: Record<string, unknown> = {};
    let malformed = false;
    try {
      const parsed: unknown = body.length ? JSON.parse(body.toString('utf8')) : {};
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
        input = parsed as Record<string, unknown>;
      else malformed = true;
    } catch {
      malformed = true;
    }
    const record: RecordedAwsRequest = {
      action,
      secretId:
        typeof (input.SecretId ?? input.Name) === 'string' ? String(input.SecretId ?? input.Name) : undefined,
      status: 200,
    };
    if (action === 'ListSecrets')
      Object.assign(record, { filters: input.Filters, maxResults: input.MaxResults });
    this.requests.push(record);
    if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));

    const fault = this.takeFault(action);
    if (fault === 'disconnect') {
      record.status = 'disconnected';
      req.socket.destroy();
      return;
    }
    const answer = (status: number, payload: unknown) => {
      record.status = status;
      send(res, status, payload);
    };
    const fail = (error: AwsServiceError) =>
      answer(error.status, { __type: error.type, message: error.message });
    if (fault && fault !== 'disconnect-after') return fail(faultError(fault, action));

    try {
      record.accessKeyId = this.authenticate(req, body);
      if (!(ACTIONS as readonly string[]).includes(action)) {
        throw new AwsServiceError('UnknownOperationException', `Unknown operation ${action}`);
      }
      if (!/^application\/x-amz-json-1\.1/.test(String(req.headers['content-type'] ?? ''))) {
        throw new AwsServiceError(
          'SerializationException',
          'Expected Content-Type application/x-amz-json-1.1',
        );
      }
      if (malformed) {
        throw new AwsServiceError('SerializationException', 'The request body is not valid JSON');
      }
      const output = this.run(action as Action, input);
      if (fault === 'disconnect-after') {
        record.status = 'disconnected';
        req.socket.destroy();
        return;
      }
      answer(200, output);
    } catch (error) {
      if (!(error instanceof AwsServiceError)) throw error;
      fail(error);
    }
  }

  private takeFault(action: string): AwsFault | undefined {
    const script = this.faults.find(
      (entry) => entry.remaining > 0 && (!entry.action || entry.action === action),
    );
    if (!script) return undefined;
    if (script.skip > 0) {
      script.skip--;
      return undefined;
    }
    script.remaining--;
    this.faults = this.faults.filter((entry) => entry.remaining > 0);
    return script.fault;
  }

  /** The access key id of a correctly signed request, else the service's authentication error. */
  private authenticate(req: IncomingMessage, body: Buffer): string {
    const header = String(req.headers.authorization ?? '');
    if (!header)
      throw new AwsServiceError('MissingAuthenticationTokenException', 'Missing Authentication Token');
    const match =
      /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(
        header,
      );
    if (!match)
      throw new AwsServiceError('IncompleteSignatureException', 'Authorization header is not a SigV4 header');
    const [, accessKeyId, date, region, service, signedHeaders, signature] = match;
    const secretKey = this.keys.get(accessKeyId);
    if (secretKey === undefined) {
      throw new AwsServiceError(
        'UnrecognizedClientException',
        'The security token included in the request is invalid.',
      );
    }
    if (this.options.verifySignatures === false) return accessKeyId;
    const amzDate = String(req.headers['x-amz-date'] ?? '');
    const names = signedHeaders.split(';');
    if (service !== 'secretsmanager' || !amzDate.startsWith(date) || !names.includes('host')) {
      throw new AwsServiceError(
        'IncompleteSignatureException',
        'The SigV4 scope or signed headers are invalid',
      );
    }
    const url = new URL(req.url ?? '/', 'http://fake');
    const query = [...url.searchParams.entries()]
      .map(([key, value]) => `${encodeRfc3986(key)}=${encodeRfc3986(value)}`)
      .sort()
      .join('&');
    const canonicalHeaders = names
      .map(
        (name) =>
          `${name}:${String(req.headers[name] ?? '')
            .trim()
            .replace(/\s+/g, ' ')}\n`,
      )
      .join('');
    const payloadHash = String(req.headers['x-amz-content-sha256'] ?? sha256(body));
    const canonical = [req.method, url.pathname, query, canonicalHeaders, signedHeaders, payloadHash].join(
      '\n',
    );
    const scope = `${date}/${region}/${service}/aws4_request`;
    const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical)].join('\n');
    let key = hmac(`AWS4${secretKey}`, date);
    for (const part of [region, service, 'aws4_request']) key = hmac(key, part);
    const expected = hmac(key, toSign);
    if (!timingSafeEqual(expected, Buffer.from(signature, 'hex'))) {
      throw new AwsServiceError(
        'InvalidSignatureException',
        'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
      );
    }
    return accessKeyId;
  }

  private run(action: Action, input: Record<string, unknown>): unknown {
    switch (action) {
      case 'CreateSecret':
        return this.createSecret(input);
      case 'PutSecretValue':
        return this.putSecretValue(input);
      case 'GetSecretValue':
        return this.getSecretValue(input);
      case 'DeleteSecret':
        return this.deleteSecret(input);
      case 'RestoreSecret': {
        const secret = this.find(input.SecretId);
        delete secret.deletionDate;
        return { ARN: secret.arn, Name: secret.name };
      }
      case 'ListSecrets':
        return this.listSecrets(input);
      case 'TagResource': {
        const secret = this.live(input.SecretId);
        const tags = { ...secret.tags, ...parseTags(input.Tags) };
        if (Object.keys(tags).length > MAX_TAGS)
          throw invalidParameter(`A secret can have at most ${MAX_TAGS} tags.`);
        secret.tags = tags;
        return {};
      }
      case 'UntagResource': {
        const secret = this.live(input.SecretId);
        for (const key of asStrings(input.TagKeys, 'TagKeys')) delete secret.tags[key];
        return {};
      }
      case 'DescribeSecret': {
        const secret = this.find(input.SecretId);
        return {
          ARN: secret.arn,
          Name: secret.name,
          Description: secret.description,
          Tags: awsTags(secret.tags),
          CreatedDate: secret.createdDate,
          LastChangedDate: secret.lastChangedDate,
          DeletedDate: secret.deletionDate,
          VersionIdsToStages: secret.versionId ? { [secret.versionId]: ['AWSCURRENT'] } : undefined,
        };
      }
    }
  }

  private createSecret(input: Record<string, unknown>): unknown {
    const name = input.Name;
    if (typeof name !== 'string' || !NAME.test(name)) {
      throw invalidParameter(
        'Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!',
      );
    }
    const existing = this.secrets.get(name);
    if (existing?.deletionDate !== undefined) {
      throw new AwsServiceError(
        'InvalidRequestException',
        "You can't create this secret because a secret with this name is already scheduled for deletion.",
      );
    }
    if (existing)
      throw new AwsServiceError(
        'ResourceExistsException',
        `The operation failed because the secret ${name} already exists.`,
      );
    const tags = parseTags(input.Tags);
    if (Object.keys(tags).length > MAX_TAGS)
      throw invalidParameter(`A secret can have at most ${MAX_TAGS} tags.`);
    const value = secretValue(input);
    const now = epochSeconds();
    const secret: FakeSecretState = {
      name,
      arn: this.arnOf(name),
      ...value,
      tags,
      description: typeof input.Description === 'string' ? input.Description : undefined,
      versionId: value.value !== undefined || value.binary !== undefined ? clientToken(input) : undefined,
      createdDate: now,
      lastChangedDate: now,
    };
    this.sorted = undefined;
    this.secrets.set(name, secret);
    return { ARN: secret.arn, Name: name, VersionId: secret.versionId };
  }

  private putSecretValue(input: Record<string, unknown>): unknown {
    const secret = this.live(input.SecretId);
    const value = secretValue(input);
    if (value.value === undefined && value.binary === undefined)
      throw invalidParameter('You must provide either SecretString or SecretBinary.');
    const token = clientToken(input);
    if (token === secret.versionId) {
      if (value.value !== secret.value || value.binary !== secret.binary) {
        throw new AwsServiceError(
          'ResourceExistsException',
          'A version with this ClientRequestToken already exists with different contents.',
        );
      }
    } else {
      Object.assign(secret, {
        value: value.value,
        binary: value.binary,
        versionId: token,
        lastChangedDate: epochSeconds(),
      });
    }
    return { ARN: secret.arn, Name: secret.name, VersionId: secret.versionId, VersionStages: ['AWSCURRENT'] };
  }

  private getSecretValue(input: Record<string, unknown>): unknown {
    const secret = this.live(input.SecretId);
    if (secret.value === undefined && secret.binary === undefined) {
      throw new AwsServiceError(
        'ResourceNotFoundException',
        "Secrets Manager can't find the specified secret value for staging label: AWSCURRENT",
      );
    }
    return {
      ARN: secret.arn,
      Name: secret.name,
      VersionId: secret.versionId,
      SecretString: secret.value,
      SecretBinary: secret.binary,
      VersionStages: ['AWSCURRENT'],
      CreatedDate: secret.lastChangedDate,
    };
  }

  private deleteSecret(input: Record<string, unknown>): unknown {
    const secret = this.find(input.SecretId);
    const force = input.ForceDeleteWithoutRecovery === true;
    if (force && input.RecoveryWindowInDays !== undefined) {
      throw invalidParameter(
        "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.",
      );
    }
    if (force) {
      this.sorted = undefined;
      this.secrets.delete(secret.name);
      return { ARN: secret.arn, Name: secret.name, DeletionDate: epochSeconds() };
    }
    if (secret.deletionDate !== undefined) throw markedForDeletion();
    const days = typeof input.RecoveryWindowInDays === 'number' ? input.RecoveryWindowInDays : 30;
    if (days < 7 || days > 30) throw invalidParameter('RecoveryWindowInDays must be between 7 and 30.');
    secret.deletionDate = epochSeconds() + days * 86_400;
    return { ARN: secret.arn, Name: secret.name, DeletionDate: secret.deletionDate };
  }

  private listSecrets(input: Record<string, unknown>): unknown {
    const max = input.MaxResults === undefined ? 100 : input.MaxResults;
    if (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > 100) {
      throw invalidParameter('MaxResults must be an integer between 1 and 100.');
    }
    const filters = parseFilters(input.Filters);
    const includeDeleted = input.IncludePlannedDeletion === true;
    const fingerprint = sha256(
      JSON.stringify([input.Filters ?? null, includeDeleted, input.SortOrder ?? null]),
    ).slice(0, 16);
    let after: string | undefined;
    if (input.NextToken !== undefined) {
      try {
        const token = JSON.parse(Buffer.from(String(input.NextToken), 'base64url').toString('utf8')) as {
          after: string;
          f: string;
        };
        if (token.f !== fingerprint || typeof token.after !== 'string') throw new Error('mismatch');
        after = token.after;
      } catch {
        throw new AwsServiceError('InvalidNextTokenException', 'The NextToken value is invalid.');
      }
    }
    const descending = input.SortOrder === 'desc';
    this.sorted ??= [...this.secrets.keys()].sort();
    const names = this.sorted;
    const page: FakeSecretState[] = [];
    let last: string | undefined;
    let more = false;
    // Resume after the token's name: a binary search, then a walk up (asc) or down (desc).
    let index =
      after === undefined ? (descending ? names.length - 1 : 0) : firstAfter(names, after, descending);
    for (; index >= 0 && index < names.length; index += descending ? -1 : 1) {
      const name = names[index];
      const secret = this.secrets.get(name)!;
      if (secret.deletionDate !== undefined && !includeDeleted) continue;
      if (!filters.every((filter) => filter(secret))) continue;
      if (page.length === max) {
        more = true;
        break;
      }
      page.push(secret);
      last = name;
    }
    return {
      SecretList: page.map((secret) => ({
        ARN: secret.arn,
        Name: secret.name,
        Description: secret.description,
        Tags: awsTags(secret.tags),
        CreatedDate: secret.createdDate,
        LastChangedDate: secret.lastChangedDate,
        DeletedDate: secret.deletionDate,
        SecretVersionsToStages: secret.versionId ? { [secret.versionId]: ['AWSCURRENT'] } : undefined,
      })),
      NextToken: more
        ? Buffer.from(
            JSON.stringify({ after: last, f: fingerprint, n: randomBytes(4).toString('hex') }),
          ).toString('base64url')
        : undefined,
    };
  }

  /** A secret by name or ARN, scheduled deletions included. */
  private find(secretId: unknown): FakeSecretState {
    if (typeof secretId !== 'string' || !secretId) throw invalidParameter('SecretId is required.');
    const byName = this.secrets.get(secretId);
    if (byName) return byName;
    if (secretId.startsWith('arn:'))
      for (const secret of this.secrets.values()) if (secret.arn === secretId) return secret;
    throw notFound();
  }

  /** A secret that is not scheduled for deletion. */
  private live(secretId: unknown): FakeSecretState {
    const secret = this.find(secretId);
    if (secret.deletionDate !== undefined) throw markedForDeletion();
    return secret;
  }

  private arnOf(name: string): string {
    const suffix = createHash('sha1').update(name).digest('base64url').replace(/[-_]/g, 'x').slice(0, 6);
    return `arn:aws:secretsmanager:${this.region}:${this.accountId}:secret:${name}-${suffix}`;
  }
}

/** Index of the first name after `after` in ascending (or, `descending`, the last one before it). */
function firstAfter(names: string[], after: string, descending: boolean): number {
  let low = 0;
  let high = names.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (names[middle] <= after) low = middle + 1;
    else high = middle;
  }
  if (!descending) return low;
  return names[low - 1] === after ? low - 2 : low - 1;
}

function faultError(
  fault: Exclude<AwsFault, 'disconnect' | 'disconnect-after'>,
  action: string,
): AwsServiceError {
  if (fault === 'throttle') return new AwsServiceError('ThrottlingException', 'Rate exceeded');
  if (fault === 'server-error')
    return new AwsServiceError('InternalServiceError', 'An error occurred on the server side.', 500);
  if (fault === 'access-denied') {
    return new AwsServiceError(
      'AccessDeniedException',
      `User: arn:aws:iam::123456789012:user/kms-test is not authorized to perform: secretsmanager:${action}`,
    );
  }
  return new AwsServiceError(fault.type, fault.message ?? fault.type, fault.status);
}

function parseTags(value: unknown): Record<string, string> {
  if (value === undefined) return {};
  if (!Array.isArray(value)) throw invalidParameter('Tags must be a list.');
  const tags: Record<string, string> = {};
  for (const tag of value as Array<{ Key?: unknown; Value?: unknown }>) {
    if (typeof tag?.Key !== 'string' || tag.Key.length < 1 || tag.Key.length > 128)
      throw invalidParameter('Invalid tag key.');
    const tagValue = tag.Value === undefined ? '' : tag.Value;
    if (typeof tagValue !== 'string' || tagValue.length > 256) throw invalidParameter('Invalid tag value.');
    tags[tag.Key] = tagValue;
  }
  return tags;
}

function awsTags(tags: Record<string, string>): Array<{ Key: string; Value: string }> | undefined {
  const list = Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
  return list.length ? list : undefined;
}

function asStrings(value: unknown, field: string): string[] {
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string'))
    throw invalidParameter(`${field} must be a list of strings.`);
  return value as string[];
}

function secretValue(input: Record<string, unknown>): { value?: string; binary?: string } {
  const { SecretString: value, SecretBinary: binary } = input;
  if (value !== undefined && binary !== undefined)
    throw invalidParameter('You can specify only SecretString or SecretBinary, not both.');
  if (value !== undefined) {
    if (typeof value !== 'string') throw invalidParameter('SecretString must be a string.');
    if (Buffer.byteLength(value) > MAX_SECRET_BYTES)
      throw invalidParameter('SecretString is larger than 65536 bytes.');
    return { value };
  }
  if (binary !== undefined) {
    if (typeof binary !== 'string') throw invalidParameter('SecretBinary must be base64.');
    return { binary };
  }
  return {};
}

function clientToken(input: Record<string, unknown>): string {
  const token = input.ClientRequestToken;
  if (token === undefined) return randomUUID();
  if (typeof token !== 'string' || token.length < 32 || token.length > 64) {
    throw invalidParameter('ClientRequestToken must be 32 to 64 characters.');
  }
  return token;
}

type SecretFilter = (secret: FakeSecretState) => boolean;

/** AWS semantics: each value a case-sensitive prefix (description/all: case-insensitive words), values ORed, `!` negates. */
function parseFilters(value: unknown): SecretFilter[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw invalidParameter('Filters must be a list.');
  return (value as Array<{ Key?: unknown; Values?: unknown }>).map(({ Key, Values }) => {
    if (typeof Key !== 'string' || !FILTER_KEYS.has(Key))
      throw invalidParameter(`Invalid filter key ${String(Key)}.`);
    const values = asStrings(Values, 'Filter values');
    if (values.length < 1 || values.length > 10) throw invalidParameter('A filter takes 1 to 10 values.');
    for (const item of values) {
      if (item.length > 512 || !FILTER_VALUE.test(item))
        throw invalidParameter(`Invalid filter value for ${Key}.`);
    }
    const fields = (secret: FakeSecretState): string[] => {
      switch (Key) {
        case 'name':
          return [secret.name];
        case 'tag-key':
          return Object.keys(secret.tags);
        case 'tag-value':
          return Object.values(secret.tags);
        case 'description':
          return secret.description ? [secret.description] : [];
        case 'all':
          return [
            secret.name,
            secret.description ?? '',
            ...Object.keys(secret.tags),
            ...Object.values(secret.tags),
          ];
        default:
          return [];
      }
    };
    const loose = Key === 'description' || Key === 'all';
    const matches = (pattern: string, field: string) =>
      loose ? field.toLowerCase().includes(pattern.toLowerCase()) : field.startsWith(pattern);
    const positive = values.filter((item) => !item.startsWith('!'));
    const negative = values.filter((item) => item.startsWith('!')).map((item) => item.slice(1));
    return (secret) => {
      const strings = fields(secret);
      const any =
        positive.length === 0 || positive.some((pattern) => strings.some((field) => matches(pattern, field)));
      const none = negative.every((pattern) => !strings.some((field) => matches(pattern, field)));
      return any && none;
    };
  });
}

function send(res: ServerResponse, status: number, payload: unknown): void {
  const body = JSON.stringify(payload);
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'content-length': Buffer.byteLength(body),
    'x-amzn-requestid': randomUUID(),
  });
  res.end(body);
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data).digest();
const epochSeconds = (): number => Math.floor(Date.now() / 1000);
const encodeRfc3986 = (text: string): string =>
  encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
