import { Module } from '@nestjs/common';
import { InvalidConfigError, KMS_CONFIG, KmsConfig } from '@kms/config';
import { StorageModule, WALLET_STORE, type WalletStore } from '@kms/storage';
import { APPROVAL_GATEWAY, ApprovalGateway } from './approval-gateway.port';
import { FourEyeRequiredError } from './four-eye.errors';
import { FOUR_EYE_REQUIRED_MESSAGE, HTTP_APPROVAL_REFUSED, HTTP_APPROVAL_WARNING } from './four-eye.messages';
import { HttpApprovalGateway, HttpApprovalOptions } from './http-approval.gateway';
import { DenyAllApprovalGateway, NoApprovalGateway } from './no-approval.gateway';
import { readApprovalKey } from './signed/approval-key-store';
import { ed25519Scheme, hmacScheme, type ApprovalScheme } from './signed/approval-wire';
import { parseEd25519PublicKey } from './signed/ed25519-keys';
import { SignedApprovalGateway } from './signed/signed-approval.gateway';

export type FourEyeConfig = Pick<
  KmsConfig,
  | 'externalUrl'
  | 'externalUrlMethod'
  | 'testnet'
  | 'allowHttpApproval'
  | 'approvalSecret'
  | 'approvalServerKey'
>;
type StartConfig = Pick<FourEyeConfig, 'externalUrl' | 'testnet'> &
  Partial<Pick<FourEyeConfig, 'allowHttpApproval'>> &
  Partial<Pick<KmsConfig, 'policyFile'>>;

/**
 * Called by the daemon before its first cycle; CLI commands that never sign do not call it. On
 * mainnet an approval server is mandatory (FourEyeRequiredError) unless a local signing policy is
 * configured, and it must be https: over plain
 * http anyone on the network path can answer "approved". Plain http is refused (InvalidConfigError)
 * unless TATUM_KMS_ALLOW_HTTP_APPROVAL=true or the host is a loopback address (127.0.0.0/8, ::1,
 * localhost), whose traffic never leaves the machine; both start with a warning (fourEyeWarnings).
 */
export function assertFourEyeConfigured(config: StartConfig): void {
  // a local policy decides on its own; its require-approval rules deny without a server
  if (!config.externalUrl && !config.testnet && !config.policyFile) throw new FourEyeRequiredError();
  if (plainHttpOnMainnet(config) && !config.allowHttpApproval && !isLoopback(config.externalUrl!))
    throw new InvalidConfigError([HTTP_APPROVAL_REFUSED]);
}

/** What the daemon logs at start about its approval server: one line per concern, never the URL. */
export function fourEyeWarnings(config: StartConfig): string[] {
  if (!plainHttpOnMainnet(config)) return [];
  const url = new URL(config.externalUrl!);
  return [
    isLoopback(config.externalUrl!) ? HTTP_APPROVAL_WARNING.loopback : HTTP_APPROVAL_WARNING.allowed,
    ...(url.username || url.password ? [HTTP_APPROVAL_WARNING.credentials] : []),
  ];
}

function plainHttpOnMainnet(config: StartConfig): boolean {
  return (
    !config.testnet && config.externalUrl !== undefined && new URL(config.externalUrl).protocol === 'http:'
  );
}

function isLoopback(externalUrl: string): boolean {
  const host = new URL(externalUrl).hostname;
  return host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/**
 * The one place that maps configuration to a gateway. Never throws for a missing URL, because the
 * CLI boots the same container: mainnet without --externalUrl gets a gateway that denies everything.
 * Signed mode uses Ed25519 when the approval server's public key is configured (the KMS's own key is
 * read from `store` at the first request), HMAC with the shared secret otherwise.
 */
export function createApprovalGateway(
  config: FourEyeConfig,
  options?: HttpApprovalOptions,
  store?: WalletStore,
): ApprovalGateway {
  if (config.externalUrl) {
    return config.externalUrlMethod === 'SIGNED'
      ? new SignedApprovalGateway(config.externalUrl, { scheme: signedScheme(config, store), ...options })
      : new HttpApprovalGateway(config.externalUrl, config.externalUrlMethod, options);
  }
  if (config.testnet) return new NoApprovalGateway();
  return new DenyAllApprovalGateway(FOUR_EYE_REQUIRED_MESSAGE);
}

function signedScheme(
  config: FourEyeConfig,
  store: WalletStore | undefined,
): ApprovalScheme | (() => Promise<ApprovalScheme>) {
  if (!config.approvalServerKey) return hmacScheme(config.approvalSecret ?? '');
  const serverKey = parseEd25519PublicKey(config.approvalServerKey);
  if (!serverKey)
    throw new InvalidConfigError(['TATUM_KMS_APPROVAL_SERVER_KEY is not an Ed25519 public key']);
  return async () => {
    if (!store) throw new Error('signed approvals with Ed25519 need the wallet store');
    return ed25519Scheme((await readApprovalKey(store)).key, serverKey);
  };
}

/** Provides APPROVAL_GATEWAY from the global KMS_CONFIG (and the store, for the KMS's Ed25519 key). */
@Module({
  imports: [StorageModule],
  providers: [
    {
      provide: APPROVAL_GATEWAY,
      inject: [KMS_CONFIG, WALLET_STORE],
      useFactory: (config: KmsConfig, store: WalletStore) => createApprovalGateway(config, undefined, store),
    },
  ],
  exports: [APPROVAL_GATEWAY],
})
export class FourEyeModule {}
