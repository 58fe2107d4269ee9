import { Module } from '@nestjs/common';
import { KMS_CONFIG, KmsConfig } from '@kms/config';
import { APPROVAL_GATEWAY, ApprovalGateway } from './approval-gateway.port';
import { FourEyeRequiredError } from './four-eye.errors';
import { FOUR_EYE_REQUIRED_MESSAGE } from './four-eye.messages';
import { HttpApprovalGateway, HttpApprovalOptions } from './http-approval.gateway';
import { DenyAllApprovalGateway, NoApprovalGateway } from './no-approval.gateway';

export type FourEyeConfig = Pick<KmsConfig, 'externalUrl' | 'externalUrlMethod' | 'testnet'>;

/**
 * Called by the daemon before its first cycle: on mainnet an approval server is mandatory.
 * Throws FourEyeRequiredError; CLI commands that never sign do not call it.
 */
export function assertFourEyeConfigured(config: Pick<FourEyeConfig, 'externalUrl' | 'testnet'>): void {
  if (!config.externalUrl && !config.testnet) throw new FourEyeRequiredError();
}

/**
 * The one place that maps configuration to a gateway. Never throws for a missing URL, because the
 * CLI boots the same container: mainnet without --externalUrl gets a gateway that denies everything.
 */
export function createApprovalGateway(config: FourEyeConfig, options?: HttpApprovalOptions): ApprovalGateway {
  if (config.externalUrl)
    return new HttpApprovalGateway(config.externalUrl, config.externalUrlMethod, options);
  if (config.testnet) return new NoApprovalGateway();
  return new DenyAllApprovalGateway(FOUR_EYE_REQUIRED_MESSAGE);
}

/** Provides APPROVAL_GATEWAY from the global KMS_CONFIG. */
@Module({
  providers: [
    {
      provide: APPROVAL_GATEWAY,
      inject: [KMS_CONFIG],
      useFactory: (config: KmsConfig) => createApprovalGateway(config),
    },
  ],
  exports: [APPROVAL_GATEWAY],
})
export class FourEyeModule {}
