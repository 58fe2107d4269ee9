import { Module } from '@nestjs/common';
import { FourEyeModule } from '@kms/four-eye';
import { StorageModule } from '@kms/storage';
import { TatumModule } from '@kms/tatum';
import { SigningPipeline } from './signing.pipeline';

/**
 * The daemon's pipeline; ChainRegistry and KMS_CONFIG come from their global modules. The signing
 * journal is opened by the daemon at start and handed over with SigningPipeline.useJournal().
 */
@Module({
  imports: [StorageModule, TatumModule, FourEyeModule],
  providers: [SigningPipeline],
  exports: [SigningPipeline],
})
export class SigningModule {}
