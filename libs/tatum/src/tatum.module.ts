import { Module } from '@nestjs/common';
import { TATUM_KMS_PROTOCOL_VERSION } from '@kms/common';
import { KMS_CONFIG, type KmsConfig } from '@kms/config';
import { TatumClient } from './tatum.client';

/**
 * Provides TatumClient from the validated KmsConfig (TATUM_API_URL, the API key, the timeout and
 * TATUM_RETRIES / TATUM_RETRY_DELAY). Building it sends
 * nothing and needs no API key: a call without one fails with ApiKeyRequiredError, so wallet commands
 * work offline. Connections close when the application shuts down.
 */
@Module({
  providers: [
    {
      provide: TatumClient,
      inject: [KMS_CONFIG],
      useFactory: (config: KmsConfig) =>
        new TatumClient({
          apiUrl: config.apiUrl,
          apiKey: config.apiKey,
          clientVersion: TATUM_KMS_PROTOCOL_VERSION,
          timeoutMs: config.apiTimeoutMs,
          retry: {
            // TATUM_RETRIES counts retries, as in tatum-js: of failures and of 429s alike
            attempts: config.apiRetries === undefined ? undefined : config.apiRetries + 1,
            rateLimitRetries: config.apiRetries,
            baseDelayMs: config.apiRetryDelayMs,
          },
        }),
    },
  ],
  exports: [TatumClient],
})
export class TatumModule {}
