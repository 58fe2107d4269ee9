import { defineStorageProvider } from '../storage-provider';

/** The file provider reads no settings of its own: its file is --path (the run's walletPath). */
export type FileSettings = Record<string, never>;

/**
 * The `file` provider (the default): one encrypted wallet file at --path, tatum-kms's legacy format
 * read and converted on the first write. It has no password flag: its password comes from
 * TATUM_KMS_PASSWORD, the prompt, or a vault's flag.
 */
export const FILE_STORAGE = defineStorageProvider<FileSettings>({
  type: 'file',
  title: 'an encrypted wallet file (--path)',
  settings: [],
  parse: () => ({}),
  validate: () => [],
  load: () => import('./file.store'),
});
