import { dirname, join } from 'node:path';
import { envValue, maskedSettings, urlProblem } from '../provider-settings';
import { defineStorageProvider } from '../storage-provider';
import type { VgsProviderSettings } from './vgs.settings';

const DEFAULT_URL = 'https://api.live.verygoodvault.com';

/** The VGS vault (aliases API): the `vgs` store (with its local index) and the `--vgs` password source. */
export const VGS_STORAGE = defineStorageProvider<VgsProviderSettings>({
  type: 'vgs',
  title: 'VGS',
  settings: [
    { env: 'TATUM_KMS_VGS_URL', shown: 'url' },
    { env: 'TATUM_KMS_VGS_INDEX', shown: 'plain' },
    // tatum-kms's checkconfig masks the alias and the credentials
    { env: 'TATUM_KMS_VGS_ALIAS', shown: 'secret' },
    { env: 'TATUM_KMS_VGS_USERNAME', shown: 'secret' },
    { env: 'TATUM_KMS_VGS_PASSWORD', shown: 'secret' },
  ],
  passwordFlag: { name: 'vgs', description: 'read the store password from VGS', storeName: 'VGS' },
  parse: (env, { walletPath }) =>
    maskedSettings<VgsProviderSettings>(
      {
        vgsUrl: (envValue(env, 'TATUM_KMS_VGS_URL') ?? DEFAULT_URL).replace(/\/+$/, ''),
        vgsIndexPath: envValue(env, 'TATUM_KMS_VGS_INDEX') ?? join(dirname(walletPath), 'vgs-index.dat'),
        vgsUsername: env.TATUM_KMS_VGS_USERNAME,
        vgsPassword: env.TATUM_KMS_VGS_PASSWORD,
        vgsAlias: env.TATUM_KMS_VGS_ALIAS,
      },
      ['vgsPassword'],
    ),
  validate: (settings) => urlProblem('TATUM_KMS_VGS_URL', settings.vgsUrl),
  load: () => import('./vgs.store'),
});
