import { KmsError } from '@kms/common';

/**
 * The cap on fees a signer fills in from the network (a gas price, a gas limit) after the transaction
 * was approved: `default` in `unit` (the unit the fee is paid in) as a decimal, replaced by
 * TATUM_KMS_MAX_FEE_<CHAIN>. Fees the pending transaction sets itself are never capped.
 */
export interface FeeCap {
  readonly default: string;
  readonly unit: string;
}

/** A positive decimal amount with at most 18 fractional digits, as TATUM_KMS_MAX_FEE_<CHAIN> takes it. */
const FEE_CAP_FORMAT = /^(?:\d+(?:\.\d{1,18})?|\.\d{1,18})$/;

/** A fee filled in from the network that is above the chain's cap: nothing is signed. */
export class FeeCapExceededError extends KmsError {
  constructor(chain: string, fee: string, cap: string, unit: string, how: string) {
    super(
      'FEE_CAP_EXCEEDED',
      `The ${chain} fee filled in from the network (${fee} ${unit} = ${how}) exceeds the cap of ${cap} ${unit} ` +
        `(TATUM_KMS_MAX_FEE_${chain}); not signed`,
    );
  }
}

/**
 * Throws FeeCapExceededError when `fee` (smallest units, 18 decimals) is above `configured` (the
 * operator's TATUM_KMS_MAX_FEE_<CHAIN>, already validated at boot) or else `cap.default`. `how`
 * names the product that gave the fee, e.g. "gas price x gas limit".
 */
export function assertWithinFeeCap(
  chain: string,
  cap: FeeCap,
  configured: string | undefined,
  fee: bigint,
  how: string,
): void {
  const limit = configured ?? cap.default;
  if (fee > toUnits(limit)) throw new FeeCapExceededError(chain, fromUnits(fee), limit, cap.unit, how);
}

/** A decimal amount (FEE_CAP_FORMAT) in smallest units (18 decimals). */
export function toUnits(amount: string): bigint {
  if (!FEE_CAP_FORMAT.test(amount)) throw new RangeError('not a decimal amount');
  const [whole, fraction = ''] = amount.split('.');
  return BigInt(whole || '0') * 10n ** 18n + BigInt(fraction.padEnd(18, '0'));
}

/** Smallest units (18 decimals) as a decimal amount without trailing zeros, e.g. 90000000000000000n -> "0.09". */
export function fromUnits(units: bigint): string {
  const whole = units / 10n ** 18n;
  const fraction = (units % 10n ** 18n).toString().padStart(18, '0').replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : `${whole}`;
}
