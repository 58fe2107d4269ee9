import {
  FAKE_AWS_CREDENTIALS,
  FakeAwsSecretsManager,
} from '@kms/test-support/fake-aws-secrets-manager';
import { vaultContract } from '../testing/vault-contract';
import { AwsSecretsVault } from './aws-secrets.vault';
import { AWS_STORAGE } from './aws.provider';

/** The real SDK client against the Secrets Manager fake, settings read as the KMS reads them. */
vaultContract('aws', async () => {
  const fake = await FakeAwsSecretsManager.start();
  const settings = AWS_STORAGE.parse(
    {
      TATUM_KMS_AWS_REGION: 'eu-west-1',
      TATUM_KMS_AWS_ENDPOINT: fake.url,
      TATUM_KMS_AWS_ACCESS_KEY_ID: FAKE_AWS_CREDENTIALS.accessKeyId,
      TATUM_KMS_AWS_SECRET_ACCESS_KEY: FAKE_AWS_CREDENTIALS.secretAccessKey,
    },
    { walletPath: '/nowhere/wallet.dat' },
  );
  return { open: () => new AwsSecretsVault(settings), stop: () => fake.stop() };
});
