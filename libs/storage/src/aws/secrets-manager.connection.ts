import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { AwsSettings } from './aws.settings';
import { VaultError } from '../storage.errors';
import { describeAwsFailure } from './aws-failure';

export type SecretsManagerSdk = typeof import('@aws-sdk/client-secrets-manager');

/** Attempts per request (the first one included) before a throttled or failing call gives up. */
export const AWS_MAX_ATTEMPTS = 5;

export interface SecretsManagerConnectionOptions {
  /** Attempts per request, the first one included (default AWS_MAX_ATTEMPTS). */
  maxAttempts?: number;
  /** Milliseconds to open a connection (default 5,000) and of socket inactivity (default 30,000). */
  connectionTimeoutMs?: number;
  requestTimeoutMs?: number;
}

/**
 * One Secrets Manager client for a run, shared by the vault and the password source code paths.
 *
 * The SDK is required and the client built on the first call, not in the constructor: the factory
 * builds providers at boot, and commands that never touch the store must neither pay for loading the
 * SDK nor fail on its settings. Region, endpoint and the static key pair come from AwsSettings
 * (TATUM_KMS_AWS_*); without the key pair the SDK's default provider chain is used (environment,
 * ~/.aws, SSO, instance or task role). Retries are the SDK's standard mode, bounded by `maxAttempts`
 * (throttling, 5xx, resets and timeouts are retried with jittered backoff).
 *
 * `calls` counts operations sent, `attempts` the HTTP requests they took (retries included).
 */
export class SecretsManagerConnection {
  calls = 0;
  attempts = 0;
  /** A private field: never serialised or inspected along with its owner. */
  #client?: { sdk: SecretsManagerSdk; client: SecretsManagerClient };

  constructor(
    private readonly config: AwsSettings,
    private readonly options: SecretsManagerConnectionOptions = {},
  ) {}

  /**
   * Runs one operation. Service and network errors are rethrown as the SDK raised them, so callers
   * can accept the expected ones (a missing secret) and pass the rest to `failure()`.
   */
  async send<T>(run: (sdk: SecretsManagerSdk, client: SecretsManagerClient) => Promise<T>): Promise<T> {
    const { sdk, client } = this.connect();
    this.calls++;
    return run(sdk, client);
  }

  /** The VaultError for an unexpected failure of `operation` on `secret`: no credential, no value. */
  failure(error: unknown, operation: string, secret?: string): VaultError {
    if (error instanceof VaultError) return error;
    return new VaultError('aws', describeAwsFailure(error, operation, secret, this.target()), error);
  }

  /** Where the client sends its requests, for messages: the endpoint's origin (never its userinfo) or the region. */
  target(): string {
    if (this.config.awsEndpoint) {
      try {
        return new URL(this.config.awsEndpoint).origin;
      } catch {
        return 'the configured endpoint';
      }
    }
    return this.config.awsRegion ? `region ${this.config.awsRegion}` : 'the default region';
  }

  private connect(): { sdk: SecretsManagerSdk; client: SecretsManagerClient } {
    if (this.#client) return this.#client;
    const { awsAccessKeyId, awsSecretAccessKey, awsRegion, awsEndpoint } = this.config;
    if (Boolean(awsAccessKeyId) !== Boolean(awsSecretAccessKey)) {
      throw new VaultError(
        'aws',
        'TATUM_KMS_AWS_ACCESS_KEY_ID and TATUM_KMS_AWS_SECRET_ACCESS_KEY must be set together ' +
          '(or neither, to use the default AWS credential provider chain)',
      );
    }
    // The SDK warns on stderr, at client creation, that its releases after January 2027 will need
    // Node 22; the CLI's stderr carries only its JSON error, and our supported Node range is ours.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    let sdk: SecretsManagerSdk;
    try {
      sdk = require('@aws-sdk/client-secrets-manager') as SecretsManagerSdk;
    } catch (error) {
      throw new VaultError('aws', 'cannot load @aws-sdk/client-secrets-manager: is it installed?', error);
    }
    const client = new sdk.SecretsManagerClient({
      region: awsRegion,
      endpoint: awsEndpoint,
      credentials:
        awsAccessKeyId && awsSecretAccessKey
          ? { accessKeyId: awsAccessKeyId, secretAccessKey: awsSecretAccessKey }
          : undefined,
      maxAttempts: this.options.maxAttempts ?? AWS_MAX_ATTEMPTS,
      retryMode: 'standard',
      requestHandler: {
        connectionTimeout: this.options.connectionTimeoutMs ?? 5_000,
        requestTimeout: this.options.requestTimeoutMs ?? 30_000,
      },
    });
    // Inside the retry middleware (same step, lower priority): runs once per HTTP attempt.
    client.middlewareStack.add(
      (next) => (args) => {
        this.attempts++;
        return next(args);
      },
      { step: 'finalizeRequest', priority: 'low', name: 'kmsAttemptCounter' },
    );
    this.#client = { sdk, client };
    return this.#client;
  }
}

/** The error's service name (`ResourceNotFoundException`, ...), or undefined. */
export function awsErrorName(error: unknown): string | undefined {
  const name = (error as { name?: unknown } | null | undefined)?.name;
  return typeof name === 'string' ? name : undefined;
}

/** A secret that does not exist, or is scheduled for deletion (which reads as absent). */
export function isMissingSecret(error: unknown): boolean {
  return awsErrorName(error) === 'ResourceNotFoundException' || isScheduledForDeletion(error);
}

/** Secrets Manager refuses most operations on a secret scheduled for deletion with this error. */
export function isScheduledForDeletion(error: unknown): boolean {
  return (
    awsErrorName(error) === 'InvalidRequestException' &&
    /(marked|scheduled) for deletion/i.test(String((error as { message?: unknown }).message))
  );
}
