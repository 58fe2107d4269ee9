import { TATUM_KMS_PROTOCOL_VERSION } from '@kms/common';
import { version } from '../../../../package.json';

/** This KMS's own release version (package.json). */
export const KMS_VERSION: string = version;

/** `--version`: the release, and the tatum-kms protocol level it implements (a drop-in for that release). */
export function versionLine(): string {
  return `${KMS_VERSION} (tatum-kms ${TATUM_KMS_PROTOCOL_VERSION} compatible)`;
}
