import { version } from '../../../../package.json';

/** This KMS's version, sent to the Tatum API as x-ttm-kms-client-version and shown by checkconfig. */
export const KMS_VERSION: string = version;
