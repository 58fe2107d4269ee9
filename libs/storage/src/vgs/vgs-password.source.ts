import { PasswordRequiredError } from '../storage.errors';
import type { PasswordSource } from '../wallet-store.port';
import { VgsHttpClient, type VgsHttpOptions, type VgsSettings } from './vgs-http.client';

export interface VgsPasswordSettings extends VgsSettings {
  vgsAlias?: string;
}

/**
 * `--vgs` (tatum-kms compatible): the store password is the value behind the alias
 * TATUM_KMS_VGS_ALIAS, read with `GET {TATUM_KMS_VGS_URL}/aliases/{alias}` and basic auth
 * (TATUM_KMS_VGS_USERNAME / TATUM_KMS_VGS_PASSWORD), at `data[0].value`. Fetched once, kept only in
 * memory. Missing settings, an unknown alias and an empty value are PasswordRequiredError; the vault
 * refusing or failing is VaultError. No message names the alias, a credential or the value.
 */
export class VgsPasswordSource implements PasswordSource {
  readonly origin = 'VGS (the alias in TATUM_KMS_VGS_ALIAS)';
  private answer?: Promise<string>;

  constructor(
    private readonly settings: VgsPasswordSettings,
    private readonly options: VgsHttpOptions = {},
  ) {}

  /** Memoised; a failure is not, so a later call (the daemon's next cycle) asks VGS again. */
  password(): Promise<string> {
    this.answer ??= this.fetch().catch((error: unknown) => {
      this.answer = undefined;
      throw error;
    });
    return this.answer;
  }

  private async fetch(): Promise<string> {
    const alias = this.settings.vgsAlias;
    if (!alias || !this.settings.vgsUsername || !this.settings.vgsPassword)
      throw new PasswordRequiredError(
        '--vgs needs TATUM_KMS_VGS_ALIAS, TATUM_KMS_VGS_USERNAME and TATUM_KMS_VGS_PASSWORD to read the store password',
      );
    const value = await new VgsHttpClient(this.settings, this.options).reveal(alias);
    if (value === undefined)
      throw new PasswordRequiredError(
        'The store password is missing in VGS: the alias in TATUM_KMS_VGS_ALIAS does not exist (or was deleted)',
      );
    if (!value)
      throw new PasswordRequiredError(
        'The store password in VGS (the alias in TATUM_KMS_VGS_ALIAS) is empty',
      );
    return value;
  }
}
