/** The azure provider's settings (TATUM_KMS_AZURE_*), read by `AZURE_STORAGE.parse`. */
export interface AzureSettings {
  /** The vault: a host name as tatum-kms users give it, or an https:// URL. */
  azureVaultUrl?: string;
  /** The secret holding the store password (--azure), and its version (latest when unset). */
  azureSecretName?: string;
  azureSecretVersion?: string;
  /** Service principal (else DefaultAzureCredential): TATUM_KMS_AZURE_TENANT_ID/_CLIENT_ID/_CLIENT_SECRET. */
  azureTenantId?: string;
  azureClientId?: string;
  azureClientSecret?: string;
  /** Entra ID login host (TATUM_KMS_AZURE_AUTHORITY_HOST): sovereign clouds, Azure Stack, test fakes. */
  azureAuthorityHost?: string;
  /** Accept a bearer challenge for another resource (TATUM_KMS_AZURE_DISABLE_CHALLENGE_VERIFICATION=true): custom vault hosts only. */
  azureDisableChallengeVerification: boolean;
}
