/**
 * tatum-kms's name for where the store password comes from (checkconfig's "Wallet store type",
 * report's `system.store.type`): LOCAL for the environment or the prompt, else the vault's flag in
 * capitals (AWS, AZURE, VGS).
 */
export function passwordStoreName(passwordSource: string): string {
  return passwordSource === 'env' || passwordSource === 'prompt' ? 'LOCAL' : passwordSource.toUpperCase();
}
