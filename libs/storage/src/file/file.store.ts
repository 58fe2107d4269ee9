import type { StorageImplementation } from '../storage-provider';
import { FileWalletStore } from './file-wallet.store';
import type { FileSettings } from './file.provider';

/** The file provider's implementation (see FILE_STORAGE). */
export const openStore: StorageImplementation<FileSettings>['openStore'] = (_settings, passwords, context) =>
  new FileWalletStore(context.walletPath, passwords, { warn: (message) => context.warn(message) });
