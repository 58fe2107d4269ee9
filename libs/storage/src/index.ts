export * from './wallet-entry';
export * from './wallet-store.port';
export * from './storage.errors';
export { FileWalletStore, type FileStoreOptions } from './file/file-wallet.store';
export {
  findLegacyBackups,
  legacyBackupWarning,
  legacyConversionNotice,
  removeLegacyBackup,
} from './file/legacy-backup';
export { EnvPasswordSource } from './password/env-password.source';
export { PasswordMismatchError, PromptPasswordSource } from './password/prompt-password.source';
export {
  InjectResolvedStorage,
  RESOLVED_STORAGE,
  StorageModule,
  StorageSettingsModule,
} from './storage.module';
export { ProviderUnavailableError } from './provider-unavailable.error';
export * from './storage-provider';
export { STORAGE_PROVIDERS } from './storage-providers';
export { listing, resolveStorage, storageFlags, type ResolvedStorage } from './resolve-storage';
export { envFlag, envValue, maskedSettings, urlProblem } from './provider-settings';
export { VaultWalletStore, type VaultStoreOptions } from './vault/vault-wallet.store';
export { assertWalletIds, isWalletId, InvalidWalletIdError } from './wallet-id';
export {
  DEFAULT_SCRYPT_COST,
  WALLET_FILE_FORMAT,
  WALLET_FILE_VERSION,
  createDataKey,
  deriveKek,
  keyHeaderJson,
  newScryptParams,
  openWalletMap,
  parseEnvelope,
  parseKeyHeader,
  rewrapDataKey,
  sealWalletMap,
  unlockEnvelope,
  unwrapDataKey,
  type Kek,
  type ScryptCost,
  type ScryptParams,
  type UnlockedKey,
  type WalletEnvelope,
} from './file/wallet-file.codec';
export { decryptLegacyWalletFile, isLegacyWalletText } from './file/legacy-crypto-js';
export { WALLET_LOCK_OPTIONS } from './file/wallet-file.lock';
export * from './vault/secret-vault.port';
