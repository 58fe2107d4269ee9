import type { Agent } from 'node:https';
import type { TokenCredential } from '@azure/identity';
import type { SecretClient, SecretClientOptions } from '@azure/keyvault-secrets';
import { InvalidConfigError } from '@kms/config';
import { VaultError } from '../storage.errors';
import { azureStatus, describeAzureFailure } from './azure-failure';
import { azureVaultUrl } from './azure-vault-url';
import type { AzureSettings } from './azure.settings';

export { azureVaultUrl };

type PipelinePolicy = NonNullable<SecretClientOptions['additionalPolicies']>[number]['policy'];

/** Settings of the Azure clients; the first two come from AzureSettings (see `azureOptionsFromConfig`). */
export interface AzureConnectionOptions {
  /**
   * Microsoft Entra ID authority host for ClientSecretCredential (TATUM_KMS_AZURE_AUTHORITY_HOST,
   * else the SDK's AZURE_AUTHORITY_HOST, else https://login.microsoftonline.com). Sovereign clouds,
   * Azure Stack and test fakes set it; a custom host also turns MSAL's instance discovery off.
   */
  authorityHost?: string;
  /**
   * Accept a bearer challenge whose resource is not the vault's own domain
   * (TATUM_KMS_AZURE_DISABLE_CHALLENGE_VERIFICATION=true): needed only for a vault behind a custom
   * host name (private endpoint alias, Azure Stack, a local fake). Off by default.
   */
  disableChallengeResourceVerification?: boolean;
  /** The HTTPS agent, e.g. one trusting a private CA in-process; child processes use NODE_EXTRA_CA_CERTS. */
  agent?: Agent;
  /** Retries per request after the first attempt (throttling, 5xx, resets, refused connections). Default 4. */
  maxRetries?: number;
  /** First back-off delay (doubles per retry, jittered), default 500 ms; capped by maxRetryDelayMs, default 8,000 ms. */
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
  /** A 429/503 Retry-After longer than this is shortened to it (default 10,000 ms); a 429 without one waits 1 s. */
  maxRetryAfterMs?: number;
  /** How long one HTTP request may wait for the response headers (default 30,000 ms); then it fails, unretried. */
  requestTimeoutMs?: number;
}

/** The Azure client settings that come from AzureSettings (TATUM_KMS_AZURE_AUTHORITY_HOST, ..._DISABLE_CHALLENGE_VERIFICATION). */
export function azureOptionsFromConfig(config: AzureSettings): AzureConnectionOptions {
  return {
    authorityHost: config.azureAuthorityHost,
    disableChallengeResourceVerification: config.azureDisableChallengeVerification,
  };
}

/**
 * One SecretClient (with its credential) for a run, shared by the calls of AzureKeyVault or of
 * AzurePasswordSource.
 *
 * The SDKs are required and the client built on the first call, not in the constructor, so commands
 * that never touch the store neither load them nor fail on their settings. Credential: a service
 * principal (ClientSecretCredential) when TATUM_KMS_AZURE_TENANT_ID, _CLIENT_ID and _CLIENT_SECRET are
 * set, else DefaultAzureCredential (environment, workload or managed identity, Azure CLI, ...; with
 * only _CLIENT_ID, that user-assigned managed identity).
 *
 * Retries are the SDK's (throttling honours Retry-After, 5xx and network errors back off
 * exponentially), bounded by `maxRetries` and, for Retry-After, by `maxRetryAfterMs`. The first call
 * runs alone: Key Vault's bearer challenge is answered on it, and the SDK can lose a request body when
 * several first requests race through the challenge.
 *
 * `calls` counts HTTP requests: to the vault (challenge round trip and retries included) and to the
 * token endpoint.
 */
export class AzureKeyVaultConnection {
  calls = 0;
  // ES-private: neither JSON.stringify nor util.inspect reaches the credential or the config.
  #client?: SecretClient;
  #warm = false;
  #gate?: Promise<void>;
  readonly #config: AzureSettings;
  readonly #options: AzureConnectionOptions;

  constructor(config: AzureSettings, options: AzureConnectionOptions = azureOptionsFromConfig(config)) {
    this.#config = config;
    this.#options = options;
  }

  /** `vault.example.net` or `127.0.0.1:8443`: for messages and describe(). */
  get host(): string {
    return azureVaultUrl(this.#config.azureVaultUrl)?.host ?? 'unset';
  }

  /**
   * Runs one SDK operation. Service and network errors are rethrown as the SDK raised them, so callers
   * can accept the expected ones (a missing secret) and pass the rest to `failure()`.
   */
  async send<T>(run: (client: SecretClient) => Promise<T>): Promise<T> {
    const client = this.connect();
    while (!this.#warm) {
      if (this.#gate) {
        await this.#gate;
        continue;
      }
      const first = run(client);
      // Any answer but 401 means the challenge was met (a 404 too); else the next call goes first.
      this.#gate = first.then(
        () => void (this.#warm = true),
        (error: unknown) => {
          const status = azureStatus(error);
          if (status !== undefined && status !== 401) this.#warm = true;
          else this.#gate = undefined;
        },
      );
      return first;
    }
    return run(client);
  }

  /** The VaultError for an unexpected failure: says what and where, never a credential or a value. */
  failure(error: unknown, operation: string, secret?: string): VaultError {
    if (error instanceof VaultError || error instanceof InvalidConfigError) return error;
    const detail = describeAzureFailure(error, operation, secret, this.host);
    return new VaultError(`Azure Key Vault ${this.host}`, detail.message, detail.cause);
  }

  private connect(): SecretClient {
    if (this.#client) return this.#client;
    const config = this.#config;
    const url = azureVaultUrl(config.azureVaultUrl);
    const problems: string[] = [];
    if (!url)
      problems.push(
        config.azureVaultUrl
          ? 'TATUM_KMS_AZURE_VAULTURL must be a vault host name or an https:// URL'
          : 'TATUM_KMS_AZURE_VAULTURL is required for Azure Key Vault',
      );
    if (config.azureClientSecret && !(config.azureTenantId && config.azureClientId))
      problems.push(
        'TATUM_KMS_AZURE_CLIENT_SECRET needs TATUM_KMS_AZURE_TENANT_ID and TATUM_KMS_AZURE_CLIENT_ID',
      );
    if (problems.length) throw new InvalidConfigError(problems);

    const { SecretClient } = require('@azure/keyvault-secrets') as typeof import('@azure/keyvault-secrets');
    const common = {
      agent: this.#options.agent,
      retryOptions: {
        maxRetries: this.#options.maxRetries ?? 4,
        retryDelayInMs: this.#options.retryDelayMs ?? 500,
        maxRetryDelayInMs: this.#options.maxRetryDelayMs ?? 8_000,
      },
      additionalPolicies: [
        { policy: this.counter(), position: 'perRetry' as const },
        { policy: this.retryAfterCap(), position: 'perRetry' as const },
      ],
    };
    this.#client = new SecretClient(
      url!.origin + url!.pathname.replace(/\/+$/, ''),
      this.credential(common),
      {
        ...common,
        disableChallengeResourceVerification: this.#options.disableChallengeResourceVerification === true,
      },
    );
    return this.#client;
  }

  private credential(common: Record<string, unknown>): TokenCredential {
    const identity = require('@azure/identity') as typeof import('@azure/identity');
    const {
      azureTenantId: tenantId,
      azureClientId: clientId,
      azureClientSecret: clientSecret,
    } = this.#config;
    const authorityHost = this.#options.authorityHost?.replace(/\/+$/, '');
    const options = {
      ...common,
      ...(authorityHost ? { authorityHost, disableInstanceDiscovery: true } : {}),
    };
    if (tenantId && clientId && clientSecret)
      return new identity.ClientSecretCredential(tenantId, clientId, clientSecret, options);
    return new identity.DefaultAzureCredential({
      ...options,
      ...(tenantId ? { tenantId } : {}),
      ...(clientId ? { managedIdentityClientId: clientId } : {}),
    });
  }

  /**
   * Counts every HTTP attempt (placed after the retry policy) and bounds how long it may wait for its
   * response. The timeout is ours, not the request's own `timeout`: the SDK leaves that timer running
   * when a request fails, which would hold a finished CLI process open.
   */
  private counter(): PipelinePolicy {
    const timeout = this.#options.requestTimeoutMs ?? 30_000;
    return {
      name: 'kmsCallCounter',
      sendRequest: async (request, next) => {
        this.calls++;
        const outer = request.abortSignal;
        const controller = new AbortController();
        const abort = () => controller.abort();
        if (outer?.aborted) abort();
        outer?.addEventListener('abort', abort);
        const timer = setTimeout(abort, timeout).unref();
        request.abortSignal = controller.signal;
        try {
          return await next(request);
        } finally {
          clearTimeout(timer);
          outer?.removeEventListener('abort', abort);
          request.abortSignal = outer;
        }
      },
    };
  }

  /**
   * Bounds the SDK's throttling retries: a Retry-After beyond `maxRetryAfterMs` is shortened to it,
   * and a 429 without one gets 1 s (the SDK would otherwise not retry it at all).
   */
  private retryAfterCap(): PipelinePolicy {
    const cap = this.#options.maxRetryAfterMs ?? 10_000;
    return {
      name: 'kmsRetryAfterCap',
      sendRequest: async (request, next) => {
        const response = await next(request);
        if (response.status !== 429 && response.status !== 503) return response;
        const headers = response.headers;
        const ms = retryAfterMs(
          headers.get('retry-after-ms') ?? headers.get('x-ms-retry-after-ms'),
          headers.get('retry-after'),
        );
        if (ms === undefined && response.status !== 429) return response;
        headers.delete('x-ms-retry-after-ms');
        headers.delete('retry-after');
        headers.set('retry-after-ms', String(Math.min(ms ?? 1_000, cap)));
        return response;
      },
    };
  }
}

function retryAfterMs(
  milliseconds: string | undefined,
  secondsOrDate: string | undefined,
): number | undefined {
  if (milliseconds !== undefined && Number.isFinite(Number(milliseconds)))
    return Math.max(0, Number(milliseconds));
  if (secondsOrDate === undefined) return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(secondsOrDate)) return Number(secondsOrDate) * 1000;
  const date = Date.parse(secondsOrDate);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined;
}
