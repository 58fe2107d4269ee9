import type { VgsPasswordSettings } from './vgs-password.source';
import type { VgsVaultSettings } from './vgs.vault';

/** The vgs provider's settings (TATUM_KMS_VGS_*), read by `VGS_STORAGE.parse`. */
export type VgsProviderSettings = VgsVaultSettings & VgsPasswordSettings;
