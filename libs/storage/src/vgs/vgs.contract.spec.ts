import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeVgs } from '@kms/test-support/fake-vgs';
import { vaultContract } from '../testing/vault-contract';
import { VGS_STORAGE } from './vgs.provider';
import { VgsVault } from './vgs.vault';

/** The VGS aliases API fake, with the local index in a folder of its own (shared by every client). */
vaultContract('vgs', async () => {
  const credentials = { username: 'US7aContract', password: 'vgs-contract-secret' };
  const fake = await FakeVgs.start(credentials);
  const dir = mkdtempSync(join(tmpdir(), 'kms-vgs-contract-'));
  const settings = VGS_STORAGE.parse(
    {
      TATUM_KMS_VGS_URL: fake.url,
      TATUM_KMS_VGS_USERNAME: credentials.username,
      TATUM_KMS_VGS_PASSWORD: credentials.password,
    },
    { walletPath: join(dir, 'wallet.dat') },
  );
  return {
    open: () => new VgsVault(settings, { baseDelayMs: 1, maxDelayMs: 20 }),
    stop: async () => {
      await fake.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
