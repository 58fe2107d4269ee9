import { DynamicModule, Inject, Module } from '@nestjs/common';
import type { KmsConfig } from './kms-config';

export const KMS_CONFIG = Symbol('KMS_CONFIG');
export const InjectKmsConfig = (): ParameterDecorator => Inject(KMS_CONFIG);

/**
 * Provides the KmsConfig of this run (built and validated once, before Nest boots, by
 * `buildKmsConfig(flags, loadEnvironment(...))`) to every module: it is global.
 */
@Module({})
export class KmsConfigModule {
  static forRoot(config: KmsConfig): DynamicModule {
    return {
      module: KmsConfigModule,
      global: true,
      providers: [{ provide: KMS_CONFIG, useValue: config }],
      exports: [KMS_CONFIG],
    };
  }
}
