import { KmsError } from '@kms/common';

/**
 * What a signatureId may look like when a store is given one (import): tatum-kms and this KMS write
 * uuid v4; anything of letters, digits, '-' and '_' up to 128 characters is accepted, which every
 * vault's secret names allow once prefixed and which can never be an object key with a meaning
 * (`__proto__`) or a path.
 */
const WALLET_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

export function isWalletId(id: string): boolean {
  return WALLET_ID.test(id) && id !== '__proto__';
}

export class InvalidWalletIdError extends KmsError {
  constructor(id: string) {
    super(
      'INVALID_WALLET_ID',
      `${JSON.stringify(id.slice(0, 64))} is not a valid signatureId (letters, digits, - and _, up to 128); nothing was imported`,
    );
  }
}

/** Throws InvalidWalletIdError for the first id that is not a valid signatureId. */
export function assertWalletIds(ids: Iterable<string>, reserved: readonly string[] = []): void {
  for (const id of ids) if (!isWalletId(id) || reserved.includes(id)) throw new InvalidWalletIdError(id);
}
