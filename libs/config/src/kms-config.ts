import { dirname, join } from 'node:path';
import { inspect } from 'node:util';
import { InvalidConfigError } from './config.errors';
import { defaultEnvFile, defaultWalletPath, KmsFlags } from './kms-flags';

/** The levels an operator chooses from (TATUM_KMS_LOG_LEVEL), most severe first. */
export const LOG_LEVELS = ['error', 'warn', 'info', 'debug'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export const LOG_FORMATS = ['text', 'json'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

const SECRET_FIELDS = new Set(['apiKey', 'password', 'journal']);

/**
 * The validated configuration of one run: flags win over environment variables, which win over the
 * env file (`--envFile`, default ~/.tatumrc/.env), which wins over defaults. Immutable once built.
 * Secret fields are masked when the object is logged or serialised.
 */
export class KmsConfig {
  /**
   * The wallet store chosen (--storage / TATUM_KMS_STORAGE, lower case, default `file`): the type name
   * of a storage provider, which @kms/storage checks against its providers and whose settings it reads.
   */
  storage: string;
  walletPath: string;
  envFile: string;
  testnet: boolean;
  /** TATUM_KMS_PASSWORD; read only by the env password source. */
  password?: string;
  apiKey?: string;
  apiUrl: string;
  /** Per-request timeout of Tatum API calls in ms (TATUM_KMS_API_TIMEOUT_MS, default 15000). */
  apiTimeoutMs: number;
  /**
   * TATUM_RETRIES (tatum-js's variable): how many times a failed API request is sent again (network
   * errors, 5xx on reads, 429); unset: 2 for failures and 5 for 429s.
   */
  apiRetries?: number;
  /** TATUM_RETRY_DELAY (tatum-js's variable): ms before the first retry (doubled each time); unset: 200. */
  apiRetryDelayMs?: number;
  period: number;
  chains?: string[];
  externalUrl?: string;
  /** GET or POST (tatum-kms's check), or SIGNED (signed, payload-bound approvals; see @kms/four-eye). */
  externalUrlMethod: 'GET' | 'POST' | 'SIGNED';
  /** TATUM_KMS_APPROVAL_SECRET: the HMAC-SHA256 key shared with the approval server (SIGNED mode). */
  approvalSecret?: string;
  /**
   * TATUM_KMS_APPROVAL_SERVER_KEY: the approval server's Ed25519 public key (base64, hex or PEM).
   * Set, signed approvals use Ed25519 (the KMS signs with its own key from the store) instead of HMAC.
   */
  approvalServerKey?: string;
  /** --policy / TATUM_KMS_POLICY: the local signing policy file (YAML or JSON), read by the daemon at start. */
  policyFile?: string;
  /**
   * TATUM_KMS_JOURNAL: where the signing journal lives; unset: the embedded one (journalPath);
   * `postgres://...`: a PostgreSQL database several daemons may share. May hold a password: masked.
   */
  journal?: string;
  /**
   * TATUM_KMS_JOURNAL_LEASE_SECONDS (default 60): how long a replica's claim on a pending id keeps the
   * others off it; a replica that dies holds its unsigned claims this long.
   */
  journalLeaseSeconds: number;
  /** The embedded signing journal: journal.sqlite in the wallet file's folder. */
  journalPath: string;
  /** Accept a plain-http approval server on mainnet (TATUM_KMS_ALLOW_HTTP_APPROVAL=true); see @kms/four-eye. */
  allowHttpApproval: boolean;
  runOnce: boolean;
  wallets?: string[];
  transactionIds?: string[];
  debug: boolean;
  /** TATUM_KMS_LOG_FORMAT: `text` (default) or `json` (one JSON object per line). */
  logFormat: LogFormat;
  /** TATUM_KMS_LOG_LEVEL: error, warn, info (default; debug when TATUM_KMS_DEBUG_MODE is on) or debug. */
  logLevel: LogLevel;
  /** --metricsPort / TATUM_KMS_METRICS_PORT: the daemon's /livez, /readyz and /metrics; off when unset. */
  metricsPort?: number;
  /**
   * --plugins / TATUM_KMS_PLUGINS: npm package names or paths, comma-separated, each exporting a Nest
   * module (e.g. one providing `@ChainSigner` classes), loaded at start by every command.
   */
  plugins: string[];
  /** TATUM_KMS_METRICS_HOST: the address the operations endpoint binds, default 127.0.0.1. */
  metricsHost: string;
  /**
   * Direct JSON-RPC node per chain (TATUM_KMS_NODE_URL_<CHAIN>, e.g. TATUM_KMS_NODE_URL_SOL): signing
   * calls go there instead of Tatum's node gateway.
   */
  nodeUrls: Record<string, string>;
  /**
   * Cap per chain on a fee the daemon fills in from the network (TATUM_KMS_MAX_FEE_<CHAIN>, e.g.
   * TATUM_KMS_MAX_FEE_ETH=0.05): a positive decimal in the unit the chain's fee is paid in. Chains
   * without an entry use their signer's default; the daemon refuses entries for chains without a cap.
   */
  maxFees: Record<string, string>;

  toJSON(): Record<string, unknown> {
    const copy: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(this))
      copy[key] = SECRET_FIELDS.has(key) && value ? '***' : value;
    return copy;
  }

  [inspect.custom](): Record<string, unknown> {
    return this.toJSON();
  }
}

/** Where each setting comes from, for error messages (names only, never values). */
const SOURCE_NAMES: Record<string, string> = {
  walletPath: '--path',
  apiKey: '--apiKey / TATUM_API_KEY',
  apiUrl: 'TATUM_API_URL',
  apiTimeoutMs: 'TATUM_KMS_API_TIMEOUT_MS',
  apiRetries: 'TATUM_RETRIES',
  apiRetryDelayMs: 'TATUM_RETRY_DELAY',
  period: '--period',
  externalUrl: '--externalUrl',
  externalUrlMethod: '--externalUrlMethod / TATUM_KMS_APPROVAL_MODE',
  approvalSecret: 'TATUM_KMS_APPROVAL_SECRET',
  approvalServerKey: 'TATUM_KMS_APPROVAL_SERVER_KEY',
  policyFile: '--policy / TATUM_KMS_POLICY',
  journal: 'TATUM_KMS_JOURNAL',
  journalLeaseSeconds: 'TATUM_KMS_JOURNAL_LEASE_SECONDS',
  testnet: '--testnet',
  runOnce: '--runOnce',
  debug: 'TATUM_KMS_DEBUG_MODE',
  logFormat: 'TATUM_KMS_LOG_FORMAT',
  logLevel: 'TATUM_KMS_LOG_LEVEL',
  metricsPort: '--metricsPort / TATUM_KMS_METRICS_PORT',
  plugins: '--plugins / TATUM_KMS_PLUGINS',
  metricsHost: 'TATUM_KMS_METRICS_HOST',
  password: 'TATUM_KMS_PASSWORD',
};

/** A decimal amount with at most 18 fractional digits (the grammar @kms/chains' fee caps parse). */
const MAX_FEE_FORMAT = /^(?:\d+(?:\.\d{1,18})?|\.\d{1,18})$/;

const list = (value?: string): string[] | undefined => {
  const items = value
    ?.split(',')
    .map((item) => item.trim())
    .filter(Boolean);
  return items?.length ? items : undefined;
};
const flagOrEnv = (flag: string | undefined, env: string | undefined): string | undefined =>
  flag !== undefined ? flag : env !== undefined && env !== '' ? env : undefined;
const truthy = (value?: string): boolean => /^(1|true|yes|on)$/i.test(value ?? '');

/** Builds and validates the configuration; throws InvalidConfigError naming every bad setting. */
export function buildKmsConfig(flags: KmsFlags, env: Record<string, string | undefined>): KmsConfig {
  const config = new KmsConfig();
  const problems: string[] = [];

  config.storage = (flagOrEnv(flags.storage, env.TATUM_KMS_STORAGE) ?? 'file').toLowerCase();
  config.walletPath = flags.path ?? defaultWalletPath(env);
  config.envFile = flags.envFile ?? defaultEnvFile(env);
  config.testnet = flags.testnet === true;
  config.password = env.TATUM_KMS_PASSWORD;
  config.apiKey = flagOrEnv(flags.apiKey, env.TATUM_API_KEY);
  config.apiUrl = (env.TATUM_API_URL || 'https://api.tatum.io').replace(/\/+$/, '');
  config.apiTimeoutMs = env.TATUM_KMS_API_TIMEOUT_MS ? Number(env.TATUM_KMS_API_TIMEOUT_MS) : 15_000;
  config.apiRetries = env.TATUM_RETRIES ? Number(env.TATUM_RETRIES) : undefined;
  config.apiRetryDelayMs = env.TATUM_RETRY_DELAY ? Number(env.TATUM_RETRY_DELAY) : undefined;
  config.period = flags.period !== undefined ? Number(flags.period) : 5;
  config.chains = list(flags.chain)?.map((chain) => chain.toUpperCase());
  config.externalUrl = flags.externalUrl?.replace(/\/+$/, '');
  config.externalUrlMethod = (
    flags.externalUrlMethod ?? (/^signed$/i.test(env.TATUM_KMS_APPROVAL_MODE ?? '') ? 'SIGNED' : 'GET')
  ).toUpperCase() as KmsConfig['externalUrlMethod'];
  config.approvalSecret = env.TATUM_KMS_APPROVAL_SECRET || undefined;
  config.approvalServerKey = env.TATUM_KMS_APPROVAL_SERVER_KEY?.trim() || undefined;
  config.policyFile = flagOrEnv(flags.policy, env.TATUM_KMS_POLICY) || undefined;
  config.journal = env.TATUM_KMS_JOURNAL || undefined;
  config.journalLeaseSeconds = env.TATUM_KMS_JOURNAL_LEASE_SECONDS
    ? Number(env.TATUM_KMS_JOURNAL_LEASE_SECONDS)
    : 60;
  config.journalPath = join(dirname(config.walletPath), 'journal.sqlite');
  config.allowHttpApproval = truthy(env.TATUM_KMS_ALLOW_HTTP_APPROVAL);
  config.runOnce = flags.runOnce === true;
  config.wallets = list(flags.wallets);
  config.transactionIds = list(flags.transactionIds);
  config.plugins = list(flagOrEnv(flags.plugins, env.TATUM_KMS_PLUGINS)) ?? [];
  config.debug = truthy(env.TATUM_KMS_DEBUG_MODE);
  config.logFormat = (env.TATUM_KMS_LOG_FORMAT || 'text').toLowerCase() as LogFormat;
  config.logLevel = (env.TATUM_KMS_LOG_LEVEL || (config.debug ? 'debug' : 'info')).toLowerCase() as LogLevel;
  const metricsPort = flagOrEnv(flags.metricsPort, env.TATUM_KMS_METRICS_PORT);
  config.metricsPort = metricsPort === undefined ? undefined : Number(metricsPort);
  config.metricsHost = env.TATUM_KMS_METRICS_HOST || '127.0.0.1';
  config.nodeUrls = {};
  for (const [name, value] of Object.entries(env)) {
    const chain = /^TATUM_KMS_NODE_URL_([A-Z0-9_]+)$/.exec(name)?.[1];
    if (chain && value) config.nodeUrls[chain] = value.replace(/\/+$/, '');
  }
  config.maxFees = {};
  for (const [name, value] of Object.entries(env)) {
    const chain = /^TATUM_KMS_MAX_FEE_([A-Z0-9_]+)$/.exec(name)?.[1];
    if (chain && value !== undefined) config.maxFees[chain] = value.trim();
  }

  for (const [property, detail] of validate(config))
    problems.push(`${SOURCE_NAMES[property] ?? property} ${detail}`);
  if (problems.length) throw new InvalidConfigError(problems);
  return Object.freeze(config);
}

/**
 * The rules of each setting, as [property, problem] pairs; plain checks rather than a validation
 * library, because this runs at every start of every command and must stay cheap.
 */
function validate(config: KmsConfig): Array<[string, string]> {
  const problems: Array<[string, string]> = [];
  const check = (property: string, ok: boolean, problem: string) => ok || problems.push([property, problem]);
  check('walletPath', config.walletPath.length > 0, 'must not be empty');
  check('apiKey', config.apiKey === undefined || config.apiKey.length > 0, 'must not be empty');
  check('apiUrl', isHttpUrl(config.apiUrl), 'must be an http(s) URL');
  check(
    'logFormat',
    (LOG_FORMATS as readonly string[]).includes(config.logFormat),
    `must be ${LOG_FORMATS.join(' or ')}`,
  );
  check(
    'logLevel',
    (LOG_LEVELS as readonly string[]).includes(config.logLevel),
    `must be one of ${LOG_LEVELS.join(', ')}`,
  );
  check(
    'metricsPort',
    config.metricsPort === undefined ||
      (Number.isInteger(config.metricsPort) && config.metricsPort >= 0 && config.metricsPort <= 65535),
    'must be a port number from 0 to 65535',
  );
  check(
    'metricsHost',
    /^[A-Za-z0-9.:[\]-]{1,255}$/.test(config.metricsHost),
    'must be a host name or address',
  );
  check(
    'apiTimeoutMs',
    Number.isInteger(config.apiTimeoutMs) && config.apiTimeoutMs >= 100 && config.apiTimeoutMs <= 600_000,
    'must be a whole number of milliseconds from 100 to 600000',
  );
  check(
    'apiRetries',
    config.apiRetries === undefined ||
      (Number.isInteger(config.apiRetries) && config.apiRetries >= 0 && config.apiRetries <= 20),
    'must be a whole number from 0 to 20',
  );
  check(
    'apiRetryDelayMs',
    config.apiRetryDelayMs === undefined ||
      (Number.isInteger(config.apiRetryDelayMs) &&
        config.apiRetryDelayMs >= 0 &&
        config.apiRetryDelayMs <= 60_000),
    'must be a whole number of milliseconds from 0 to 60000',
  );
  check(
    'period',
    Number.isFinite(config.period) && config.period >= 0.1,
    'must be a number of seconds >= 0.1',
  );
  check('period', !(config.period > 86400), 'must be at most 86400');
  check(
    'externalUrl',
    config.externalUrl === undefined || isHttpUrl(config.externalUrl),
    'must be an http(s) URL',
  );
  check(
    'journalLeaseSeconds',
    Number.isInteger(config.journalLeaseSeconds) &&
      config.journalLeaseSeconds >= 5 &&
      config.journalLeaseSeconds <= 3600,
    'must be a whole number of seconds from 5 to 3600',
  );
  check(
    'journal',
    config.journal === undefined || /^postgres(?:ql)?:\/\/\S+$/i.test(config.journal),
    'must be a postgres:// URL, or unset for the embedded journal (journal.sqlite beside the wallet file)',
  );
  for (const [chain, url] of Object.entries(config.nodeUrls)) {
    if (!isHttpUrl(url)) problems.push([`TATUM_KMS_NODE_URL_${chain}`, 'must be an http(s) URL']);
  }
  for (const [chain, amount] of Object.entries(config.maxFees)) {
    if (!MAX_FEE_FORMAT.test(amount) || !/[1-9]/.test(amount)) {
      problems.push([
        `TATUM_KMS_MAX_FEE_${chain}`,
        'must be a positive decimal amount with at most 18 decimals, in the unit the fee is paid in (e.g. 0.05)',
      ]);
    }
  }
  check(
    'externalUrlMethod',
    ['GET', 'POST', 'SIGNED'].includes(config.externalUrlMethod),
    'must be GET, POST or SIGNED',
  );
  check(
    'approvalSecret',
    config.externalUrlMethod !== 'SIGNED' ||
      config.approvalServerKey !== undefined ||
      Buffer.byteLength(config.approvalSecret ?? '') >= 32,
    'must be set, at least 32 bytes, for signed approvals (--externalUrlMethod SIGNED), unless TATUM_KMS_APPROVAL_SERVER_KEY selects Ed25519',
  );
  check(
    'approvalServerKey',
    config.approvalServerKey === undefined || config.approvalSecret === undefined,
    'and TATUM_KMS_APPROVAL_SECRET are two ways to sign approvals: set one of them, not both',
  );
  return problems;
}

/** True for an absolute http: or https: URL with a host. */
export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname.length > 0;
  } catch {
    return false;
  }
}
