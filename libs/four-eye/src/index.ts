export * from './approval-gateway.port';
export * from './four-eye.errors';
export {
  FourEyeModule,
  assertFourEyeConfigured,
  createApprovalGateway,
  fourEyeWarnings,
  type FourEyeConfig,
} from './four-eye.module';
export {
  DEFAULT_APPROVAL_TIMEOUT_MS,
  HttpApprovalGateway,
  type HttpApprovalOptions,
} from './http-approval.gateway';
export { DenyAllApprovalGateway, NoApprovalGateway } from './no-approval.gateway';
export {
  APPROVAL_KEY_CHAIN,
  ApprovalKeyMissingError,
  ensureApprovalKey,
  readApprovalKey,
} from './signed/approval-key-store';
export { parseEd25519PublicKey, publicKeyPem, rawPublicKey } from './signed/ed25519-keys';
export {
  ed25519Scheme,
  hmacScheme,
  type ApprovalScheme,
  SIGNATURE_HEADER,
  signatureHeader,
  verifySignatureHeader,
  type ApprovalAnswerBody,
  type ApprovalRequestBody,
} from './signed/approval-wire';
export { SignedApprovalGateway, type SignedApprovalOptions } from './signed/signed-approval.gateway';
