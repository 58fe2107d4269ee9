import { envFlag, envValue, maskedSettings, urlProblem } from '../provider-settings';
import { defineStorageProvider } from '../storage-provider';
import { azureVaultUrl } from './azure-vault-url';
import type { AzureSettings } from './azure.settings';

/** Azure Key Vault: the `azure` store and the `--azure` password source. */
export const AZURE_STORAGE = defineStorageProvider<AzureSettings>({
  type: 'azure',
  title: 'Azure Key Vault',
  settings: [
    // tatum-kms's checkconfig masks the vault, the secret's name and its version
    { env: 'TATUM_KMS_AZURE_VAULTURL', shown: 'secret' },
    { env: 'TATUM_KMS_AZURE_SECRETNAME', shown: 'secret' },
    { env: 'TATUM_KMS_AZURE_SECRETVERSION', shown: 'secret' },
    { env: 'TATUM_KMS_AZURE_TENANT_ID', shown: 'secret' },
    { env: 'TATUM_KMS_AZURE_CLIENT_ID', shown: 'secret' },
    { env: 'TATUM_KMS_AZURE_CLIENT_SECRET', shown: 'secret' },
    { env: 'TATUM_KMS_AZURE_AUTHORITY_HOST', shown: 'url' },
    { env: 'TATUM_KMS_AZURE_DISABLE_CHALLENGE_VERIFICATION', shown: 'plain' },
  ],
  passwordFlag: {
    name: 'azure',
    description: 'read the store password from Azure Key Vault',
    storeName: 'AZURE',
  },
  parse: (env) =>
    maskedSettings<AzureSettings>(
      {
        azureVaultUrl: envValue(env, 'TATUM_KMS_AZURE_VAULTURL'),
        azureSecretName: envValue(env, 'TATUM_KMS_AZURE_SECRETNAME'),
        azureSecretVersion: envValue(env, 'TATUM_KMS_AZURE_SECRETVERSION'),
        azureTenantId: envValue(env, 'TATUM_KMS_AZURE_TENANT_ID'),
        azureClientId: envValue(env, 'TATUM_KMS_AZURE_CLIENT_ID'),
        azureClientSecret: envValue(env, 'TATUM_KMS_AZURE_CLIENT_SECRET'),
        azureAuthorityHost: envValue(env, 'TATUM_KMS_AZURE_AUTHORITY_HOST'),
        azureDisableChallengeVerification: envFlag(env.TATUM_KMS_AZURE_DISABLE_CHALLENGE_VERIFICATION),
      },
      ['azureClientSecret'],
    ),
  validate: (settings) => [
    ...(settings.azureVaultUrl !== undefined && !azureVaultUrl(settings.azureVaultUrl)
      ? ['TATUM_KMS_AZURE_VAULTURL must be a vault host name or an https:// URL']
      : []),
    ...urlProblem('TATUM_KMS_AZURE_AUTHORITY_HOST', settings.azureAuthorityHost),
  ],
  load: () => import('./azure.store'),
});
