export { compareVersions, parseLatestVersion, type LatestVersionAnnouncement } from './latest-version';
export { PENDING_LIMITS } from './pending-limits';
export {
  parsePendingItems,
  toPendingTransaction,
  type InvalidPendingItem,
  type PendingBatch,
  type PendingTransaction,
  type ReceivedPendingItem,
  type SignatureRef,
  type WithdrawalResponse,
} from './pending-transaction';
export { MAX_PENDING_IDS_PER_REQUEST, TatumClient } from './tatum.client';
export type {
  BroadcastResult,
  OffchainBroadcastRequest,
  OffchainBroadcastResult,
  PendingTxError,
  TatumClientOptions,
  TatumRequestOptions,
} from './tatum-client.types';
export * from './tatum.errors';
export { TatumModule } from './tatum.module';
