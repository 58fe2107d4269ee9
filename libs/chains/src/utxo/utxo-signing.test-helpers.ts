import { KmsError } from '@kms/common';
import signing from '@kms/test-fixtures/signing.json';
import type { ChainNetwork } from '../chain-network.port';
import type { SignRequest } from '../chain-signer.port';
import { findUtxoChain } from './utxo-chains';
import { UtxoSigner } from './utxo.signer';

/** Helpers shared by the UTXO signing specs (not a spec itself). */
export type SigningVector = (typeof signing.vectors)[number];

export const vectorsOf = (chain: string): SigningVector[] => signing.vectors.filter((v) => v.chain === chain);

export const SIGNING_MNEMONIC = signing.mnemonic;

/** UTXO signing needs nothing from the network: every call fails the test. */
export const NO_NETWORK: ChainNetwork = {
  tatum: () => Promise.reject(new Error('UTXO signing must not touch the network')),
  node: () => Promise.reject(new Error('UTXO signing must not touch the network')),
};

export const utxoSigner = (chain: string) => new UtxoSigner(findUtxoChain(chain)!);

export function requestOf(vector: SigningVector, overrides: Partial<SignRequest> = {}): SignRequest {
  return {
    serializedTransaction: vector.pendingTx.serializedTransaction,
    keys: vector.privateKeys,
    withdrawal: false,
    testnet: vector.testnet,
    network: NO_NETWORK,
    ...overrides,
  };
}

/** All private keys of the fixture, to check that no error message quotes one. */
export const ALL_KEYS = signing.vectors.flatMap((v) => v.privateKeys);

/** Awaits the rejection, checks its code and that its message quotes no key; returns the message. */
export async function rejection(promise: Promise<unknown>, code = 'INVALID_PENDING_TX'): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(KmsError);
  expect((error as KmsError).code).toBe(code);
  const { message } = error as KmsError;
  for (const key of ALL_KEYS) {
    expect(message).not.toContain(key);
    expect(message).not.toContain(key.slice(4, 14));
  }
  return message;
}

/** The shape of a bitcore JSON pending transaction (docs/tatum-protocol.md §5). */
export interface BitcoreJson {
  hash?: string;
  version: number;
  nLockTime: number;
  inputs: Array<{
    prevTxId: string;
    outputIndex: number;
    sequenceNumber: number;
    script: string;
    output: { satoshis: number; script: string };
  }>;
  outputs: Array<{ satoshis: number; script: string }>;
  fee?: number;
  changeIndex?: number;
}

/** The bitcore JSON of a vector as an object, to mutate in tests. */
export const bitcoreOf = (vector: SigningVector): BitcoreJson =>
  JSON.parse(vector.pendingTx.serializedTransaction);
