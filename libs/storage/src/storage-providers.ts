import { AWS_STORAGE } from './aws/aws.provider';
import { AZURE_STORAGE } from './azure/azure.provider';
import { FILE_STORAGE } from './file/file.provider';
import type { AnyStorageProvider } from './storage-provider';
import { VGS_STORAGE } from './vgs/vgs.provider';

/**
 * The storage providers this KMS ships, the default (`file`) first: the only place that names them
 * all. Flags, help, checkconfig and the choice of a store derive from this list (plus any a plugin
 * adds through `runCli(..., { storageProviders })`).
 */
export const STORAGE_PROVIDERS: readonly AnyStorageProvider[] = [
  FILE_STORAGE,
  AWS_STORAGE,
  AZURE_STORAGE,
  VGS_STORAGE,
];
