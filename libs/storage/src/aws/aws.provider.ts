import { envValue, maskedSettings, urlProblem } from '../provider-settings';
import { defineStorageProvider } from '../storage-provider';
import type { AwsSettings } from './aws.settings';

/** AWS Secrets Manager: the `aws` store and the `--aws` password source. */
export const AWS_STORAGE = defineStorageProvider<AwsSettings>({
  type: 'aws',
  title: 'AWS Secrets Manager',
  settings: [
    { env: 'TATUM_KMS_AWS_REGION', shown: 'plain' },
    { env: 'TATUM_KMS_AWS_ENDPOINT', shown: 'url' },
    { env: 'TATUM_KMS_AWS_ACCESS_KEY_ID', shown: 'secret' },
    { env: 'TATUM_KMS_AWS_SECRET_ACCESS_KEY', shown: 'secret' },
    { env: 'TATUM_KMS_AWS_SECRET_NAME', shown: 'secret' },
    { env: 'TATUM_KMS_AWS_SECRET_KEY', shown: 'secret' },
  ],
  passwordFlag: {
    name: 'aws',
    description: 'read the store password from AWS Secrets Manager',
    storeName: 'AWS',
  },
  parse: (env) =>
    maskedSettings<AwsSettings>(
      {
        awsRegion: envValue(env, 'TATUM_KMS_AWS_REGION'),
        awsEndpoint: envValue(env, 'TATUM_KMS_AWS_ENDPOINT'),
        awsSecretName: envValue(env, 'TATUM_KMS_AWS_SECRET_NAME'),
        awsSecretKey: envValue(env, 'TATUM_KMS_AWS_SECRET_KEY'),
        awsAccessKeyId: envValue(env, 'TATUM_KMS_AWS_ACCESS_KEY_ID'),
        awsSecretAccessKey: envValue(env, 'TATUM_KMS_AWS_SECRET_ACCESS_KEY'),
      },
      ['awsAccessKeyId', 'awsSecretAccessKey'],
    ),
  validate: (settings) => urlProblem('TATUM_KMS_AWS_ENDPOINT', settings.awsEndpoint),
  load: () => import('./aws.store'),
});
