import { lazy } from '../lazy';

/** bitcoinjs-lib, loaded on first use (addresses, transaction building) so importing @kms/chains stays cheap. */
export const loadBitcoinjs = lazy(() => import('bitcoinjs-lib'));
