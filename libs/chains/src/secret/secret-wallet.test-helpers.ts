import { KmsError } from '@kms/common';
import type { ChainNetwork } from '../chain-network.port';
import type { SignRequest } from '../chain-signer.port';

/** A ChainNetwork that fails any call: secret chains sign offline. */
export const OFFLINE: ChainNetwork = {
  tatum: () => Promise.reject(new Error('unexpected network call')),
  node: () => Promise.reject(new Error('unexpected network call')),
};

export function signRequest(
  serializedTransaction: string,
  secret: string,
  overrides: Partial<SignRequest> = {},
): SignRequest {
  return {
    serializedTransaction,
    keys: [secret],
    withdrawal: false,
    testnet: false,
    network: OFFLINE,
    ...overrides,
  };
}

/**
 * Awaits a rejection and checks its code and that its message contains neither `secret` nor a
 * recognizable piece of it.
 */
export async function expectSafeError(
  promise: Promise<unknown>,
  code: string,
  secret = '',
): Promise<KmsError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(KmsError);
  expect((error as KmsError).code).toBe(code);
  if (secret.length > 0) {
    expect((error as KmsError).message).not.toContain(secret);
    if (secret.length >= 16) expect((error as KmsError).message).not.toContain(secret.slice(3, 13));
  }
  return error as KmsError;
}
