import { Module } from '@nestjs/common';
import { KMS_CONFIG, type KmsConfig } from '@kms/config';
import { version } from '../../../package.json';
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
      // The version is the package's, the same as KMS_VERSION (apps/kms), which a lib cannot import.
      useFactory: (config: KmsConfig) =>
        new TatumClient({
          apiUrl: config.apiUrl,
          apiKey: config.apiKey,
          clientVersion: version,
          timeoutMs: config.apiTimeoutMs,
        }),
    },
  ],
  exports: [TatumClient],
})
export class TatumModule {}
