import { Agent } from 'node:https';
import { FakeAzureKeyVault } from '@kms/test-support/fake-azure-key-vault';
import { vaultContract } from '../testing/vault-contract';
import { AzureKeyVault } from './azure-key.vault';
import { AZURE_STORAGE } from './azure.provider';

/** The real SDK clients against the HTTPS Key Vault fake (bearer challenge, token endpoint, paging). */
vaultContract('azure', async () => {
  const fake = await FakeAzureKeyVault.start();
  const agent = new Agent({ ca: fake.ca, keepAlive: true });
  const settings = AZURE_STORAGE.parse(
    {
      TATUM_KMS_AZURE_VAULTURL: fake.url,
      TATUM_KMS_AZURE_TENANT_ID: fake.tenantId,
      TATUM_KMS_AZURE_CLIENT_ID: fake.clientId,
      TATUM_KMS_AZURE_CLIENT_SECRET: fake.clientSecret,
    },
    { walletPath: '/nowhere/wallet.dat' },
  );
  const options = {
    agent,
    authorityHost: fake.authorityHost,
    disableChallengeResourceVerification: true,
    retryDelayMs: 10,
    maxRetryDelayMs: 50,
  };
  return {
    open: () => new AzureKeyVault(settings, options),
    stop: async () => {
      agent.destroy();
      await fake.stop();
    },
  };
});
