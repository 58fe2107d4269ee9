import { DynamicModule, Inject, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { buildKmsConfig, KmsConfig } from './kms-config';
import { DEFAULT_ENV_FILE, KmsFlags } from './kms-flags';

export const KMS_CONFIG = Symbol('KMS_CONFIG');
export const InjectKmsConfig = (): ParameterDecorator => Inject(KMS_CONFIG);

/**
 * Loads the env file (variables already in the environment win, as with dotenv), builds the
 * KmsConfig from it and the command-line flags, and validates it once at boot: an invalid setting
 * aborts start-up with InvalidConfigError. Global: every module can inject KMS_CONFIG.
 */
@Module({})
export class KmsConfigModule {
  static forRoot(flags: KmsFlags): DynamicModule {
    return {
      module: KmsConfigModule,
      global: true,
      imports: [
        ConfigModule.forRoot({
          envFilePath: flags.envFile ?? DEFAULT_ENV_FILE,
          validate: (env) => ({ kms: buildKmsConfig(flags, env) }),
        }),
      ],
      providers: [
        {
          provide: KMS_CONFIG,
          inject: [ConfigService],
          useFactory: (config: ConfigService) => config.get<KmsConfig>('kms'),
        },
      ],
      exports: [KMS_CONFIG],
    };
  }
}
