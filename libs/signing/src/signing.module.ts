import { Module } from '@nestjs/common';
import { FourEyeModule } from '@kms/four-eye';
import { StorageModule } from '@kms/storage';
import { TatumModule } from '@kms/tatum';
import { InMemorySubmissionMemory } from './in-memory-submission.memory';
import { SigningPipeline } from './signing.pipeline';
import { SUBMISSION_MEMORY } from './submission-memory.port';

/**
 * The daemon's pipeline; ChainRegistry and KMS_CONFIG come from their global modules. Submissions
 * are remembered in memory for the life of the process (SUBMISSION_MEMORY can be overridden).
 */
@Module({
  imports: [StorageModule, TatumModule, FourEyeModule],
  providers: [
    SigningPipeline,
    { provide: SUBMISSION_MEMORY, useFactory: () => new InMemorySubmissionMemory() },
  ],
  exports: [SigningPipeline],
})
export class SigningModule {}
