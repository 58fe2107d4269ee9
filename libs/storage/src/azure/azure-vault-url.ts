/** The vault's base URL: tatum-kms users give `myvault.vault.azure.net`; a full https:// URL works too. */
export function azureVaultUrl(value: string | undefined): URL | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  try {
    const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`);
    return url.protocol === 'https:' && url.hostname && !url.username && !url.password ? url : undefined;
  } catch {
    return undefined;
  }
}
