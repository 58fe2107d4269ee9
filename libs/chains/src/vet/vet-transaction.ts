import { randomBytes } from 'node:crypto';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import type * as ThorDevkit from 'thor-devkit';
import type { DescribeRequest, SignRequest } from '../chain-signer.port';
import { InvalidTransactionError } from '../chains.errors';
import { evmAddress, parseEvmPrivateKey } from '../evm/evm-keys';
import { InvalidNetworkAnswerError } from '../chains.errors';
import { lazy } from '../lazy';
import { assertWithinFeeCap } from '../fee-cap';
import { VET_BASE_GAS_PRICE, VET_CHAIN_TAG, VET_DEFAULTS, VET_FEE_CAP, VetNetwork } from './vet-network';
import { parseVetPendingTx, type VetPendingTx } from './vet-pending-tx';

const thorDevkit: () => Promise<typeof ThorDevkit> = lazy(() => import('thor-devkit'));

const BLOCK_ID = /^0x[0-9a-f]{64}$/i;
const UINT64_MAX = (1n << 64n) - 1n;

/**
 * Signs a VET pending transaction (docs/tatum-protocol.md §5, "VET") with `request.keys[0]` as Tatum's SDK
 * (signVetKMSTransaction through thorify) does, and returns the 0x-hex RLP of the signed Thor
 * transaction: one clause {to, value, data}; chainTag of the network (a different one in the JSON
 * is refused); blockRef, expiration, gasPriceCoef, dependsOn and nonce from the JSON when given,
 * else the first 8 bytes of the best block's id, 720, 0, null and 8 random bytes; gas from the JSON,
 * else estimated like thorify (intrinsic gas + VM gas + 15,000); an estimated gas must keep the fee
 * (gas x VET_BASE_GAS_PRICE x (1 + gasPriceCoef/255)) within the fee cap (`request.maxFee`, else
 * VET_FEE_CAP), else FeeCapExceededError. The signature is secp256k1 over
 * blake2b256 of the unsigned RLP, r || s || recovery. Missing values are asked of `request.network`
 * (a Thor node, see VetNetwork). InvalidTransactionError for a malformed transaction or one that reverts when
 * simulated, InvalidPrivateKeyError for a bad key, InvalidNetworkAnswerError for an unusable network
 * answer; no message quotes the key. thor-devkit is loaded on the first call.
 */
export async function signVetTransaction(request: SignRequest): Promise<string> {
  const { pending, chainTag } = parseVetRequest(request);
  if (request.keys.length === 0) {
    throw new InvalidTransactionError('VET', 'no private key was resolved to sign it');
  }
  const from = addressOfKey(request.keys[0]);
  const { Transaction } = await thorDevkit();
  const clause = { to: pending.to, value: `0x${pending.value.toString(16)}`, data: pending.data };
  const network = new VetNetwork(request.network, request.testnet);
  const [blockRef, gas] = await Promise.all([
    pending.blockRef ?? bestBlockRef(network),
    pending.gas ?? estimateGas(network, clause, from, Transaction.intrinsicGas([clause])),
  ]);
  const gasPriceCoef = pending.gasPriceCoef ?? VET_DEFAULTS.gasPriceCoef;
  if (pending.gas === undefined) {
    const fee = (gas * VET_BASE_GAS_PRICE * BigInt(255 + gasPriceCoef)) / 255n;
    const how = `gas ${gas} x base gas price x (1 + ${gasPriceCoef}/255)`;
    assertWithinFeeCap('VET', VET_FEE_CAP, request.maxFee, fee, how);
  }
  const tx = new Transaction({
    chainTag,
    blockRef,
    expiration: pending.expiration ?? VET_DEFAULTS.expiration,
    clauses: [clause],
    gasPriceCoef,
    gas: `0x${gas.toString(16)}`,
    dependsOn: pending.dependsOn,
    nonce: `0x${(pending.nonce ?? randomNonce()).toString(16)}`,
  });
  const key = parseEvmPrivateKey(request.keys[0], 'VET');
  try {
    // 'recovered' is the recovery byte, then r || s; VeChain takes r || s || recovery
    const signature = secp256k1.sign(tx.signingHash(), key, {
      lowS: true,
      prehash: false,
      format: 'recovered',
    });
    tx.signature = Buffer.concat([signature.subarray(1), signature.subarray(0, 1)]);
  } finally {
    key.fill(0);
  }
  return `0x${bytesToHex(tx.encode())}`;
}

/** The 0x address of a key (validated first; InvalidPrivateKeyError without echoing it). */
function addressOfKey(text: string): string {
  const key = parseEvmPrivateKey(text, 'VET');
  try {
    return evmAddress(secp256k1.getPublicKey(key, false), '0x');
  } finally {
    key.fill(0);
  }
}

/** blockRef: the first 8 bytes of the best block's id. */
async function bestBlockRef(network: VetNetwork): Promise<string> {
  const block = await network.bestBlock();
  const id = (block as { id?: unknown } | null)?.id;
  if (typeof id !== 'string' || !BLOCK_ID.test(id)) throw new InvalidNetworkAnswerError('VET', 'best block');
  return id.slice(0, 18).toLowerCase();
}

/** thorify's estimate: intrinsic gas + (VM gas used + 15,000 when the clause runs code). */
async function estimateGas(
  network: VetNetwork,
  clause: { to: string | null; value: string; data: string },
  caller: string,
  intrinsicGas: number,
): Promise<bigint> {
  const answer = await network.inspectClauses({ clauses: [clause], caller });
  const result =
    Array.isArray(answer) && answer.length === 1 ? (answer[0] as Record<string, unknown>) : undefined;
  if (typeof result !== 'object' || result === null) {
    throw new InvalidNetworkAnswerError('VET', 'gas estimate');
  }
  if (result.reverted === true || (typeof result.vmError === 'string' && result.vmError !== '')) {
    throw new InvalidTransactionError('VET', 'it reverts when simulated, so its gas cannot be estimated');
  }
  const used = result.gasUsed;
  if (typeof used !== 'number' || !Number.isSafeInteger(used) || used < 0) {
    throw new InvalidNetworkAnswerError('VET', 'gas estimate');
  }
  const gas = BigInt(intrinsicGas) + (used > 0 ? BigInt(used + VET_DEFAULTS.estimateMargin) : 0n);
  if (gas > UINT64_MAX) throw new InvalidNetworkAnswerError('VET', 'gas estimate');
  return gas;
}

/** Thor nonces are 8 bytes; thorify picks them at random. */
function randomNonce(): bigint {
  return BigInt(`0x${randomBytes(8).toString('hex')}`);
}

/**
 * The one parse of a VET request, shared by signing and describing: the pending transaction and the
 * chain tag of the request's network (a `chainTag` in the JSON must be that one).
 * InvalidTransactionError otherwise.
 */
export function parseVetRequest(request: DescribeRequest): { pending: VetPendingTx; chainTag: number } {
  const pending = parseVetPendingTx(request.serializedTransaction);
  const chainTag = request.testnet ? VET_CHAIN_TAG.testnet : VET_CHAIN_TAG.mainnet;
  if (pending.chainTag !== undefined && pending.chainTag !== chainTag) {
    throw new InvalidTransactionError(
      'VET',
      `chainTag ${pending.chainTag} is not the one of this network (${chainTag})`,
    );
  }
  return { pending, chainTag };
}
