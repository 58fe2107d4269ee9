import { Module } from '@nestjs/common';
import { TATUM_KMS_PROTOCOL_VERSION } from '@kms/common';
import { KMS_CONFIG, type KmsConfig } from '@kms/config';
import { TatumClient } from './tatum.client';

/**
 * Provides TatumClient from the validated KmsConfig (TATUM_API_URL, the API key). Building it sends
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
        }),
    },
  ],
  exports: [TatumClient],
})
export class TatumModule {}
