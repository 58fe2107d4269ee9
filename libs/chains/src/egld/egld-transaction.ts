import { ed25519 } from '@noble/curves/ed25519.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import type { ChainNetwork } from '../chain-network.port';
import type { SignRequest } from '../chain-signer.port';
import { InvalidTransactionError } from '../chains.errors';
import { InvalidNetworkAnswerError } from '../chains.errors';
import { assertWithinFeeCap, type FeeCap } from '../fee-cap';
import { egldAddress, parseEgldPrivateKey } from './egld-keys';
import { EgldNetwork } from './egld-network';
import { type EgldPendingTx, parseEgldPendingTx } from './egld-pending-tx';

/** The fields MultiversX signs, as its canonical JSON carries them. */
export interface EgldUnsignedTransaction {
  nonce: number;
  /** Atomic units, decimal. */
  value: string;
  receiver: string;
  sender: string;
  gasPrice: number;
  gasLimit: number;
  /** base64 of the data field; absent when empty. */
  data?: string;
  chainID: string;
  version: number;
}

/** A signed transaction in the JSON that Tatum's /v3/egld/broadcast takes as txData. */
export interface EgldSignedTransaction extends EgldUnsignedTransaction {
  /** 64-byte ed25519 signature, hex. */
  signature: string;
}

/** MultiversX network parameters (Tatum: GET /v3/egld/node/{apiKey}/network/config, `data.config`). */
export interface EgldNetworkConfig {
  /** `erd_chain_id`: "1" mainnet, "D" devnet, "T" testnet. */
  chainId: string;
  /** `erd_min_gas_price`. */
  minGasPrice: number;
  /** `erd_min_transaction_version`. */
  minTransactionVersion: number;
}

/**
 * Default cap on gasPrice x gasLimit when either comes from the network: a plain transfer costs
 * 0.00005 EGLD (50,000 gas at the minimum price of 10^9), a 100,000,000-gas contract call at most 0.1.
 */
export const EGLD_FEE_CAP: FeeCap = { default: '0.1', unit: 'EGLD' };

/**
 * The bytes a MultiversX account signs: the JSON of the fields in this exact order, `data` omitted
 * when empty, no `options` (plain signing, not hash signing). It is erdjs' serializeForSigning and
 * sdk-core's TransactionComputer.computeBytesForSigning; the node rebuilds it to verify.
 */
export function egldBytesForSigning(tx: EgldUnsignedTransaction): Uint8Array {
  const { nonce, value, receiver, sender, gasPrice, gasLimit, data, chainID, version } = tx;
  return utf8ToBytes(
    JSON.stringify({ nonce, value, receiver, sender, gasPrice, gasLimit, data, chainID, version }),
  );
}

/**
 * Signs an EGLD pending transaction (see EgldPendingTx) with `request.keys[0]` (64-hex ed25519 seed)
 * and returns the txData Tatum's egld broadcast expects: the JSON of the signed transaction, the
 * signed fields plus `signature` (what erdjs' `Transaction.toSendable()` gave tatum-kms).
 * The sender is the key's address (a `from` naming another account is rejected); a missing nonce comes
 * from the gateway's `address/{sender}/nonce` (a nonce in the JSON, 0 included, is kept); a missing gas
 * price, chain id or version from the network config; a missing gas limit from the cost estimate.
 * When the gas price or limit came from the network, gasPrice x gasLimit (the most it can pay) must
 * be within the fee cap (`request.maxFee`, else EGLD_FEE_CAP). Throws InvalidTransactionError,
 * FeeCapExceededError, InvalidPrivateKeyError or InvalidNetworkAnswerError; no message quotes the key.
 */
export async function signEgldTransaction(request: SignRequest): Promise<string> {
  const pending = parseEgldPendingTx(request.serializedTransaction);
  if (request.keys.length === 0) throw invalid('no private key was resolved to sign it');
  const seed = parseEgldPrivateKey(request.keys[0]);
  try {
    const sender = egldAddress(ed25519.getPublicKey(seed));
    if (pending.sender !== undefined && pending.sender !== sender) {
      throw invalid('its sender (`from`) is not the address of the resolved key');
    }
    const unsigned = await completeFromNetwork(pending, sender, request.network);
    if (pending.gasPrice === undefined || pending.gasLimit === undefined) {
      const { gasPrice, gasLimit } = unsigned;
      const how = `gas price ${gasPrice} x gas limit ${gasLimit}`;
      assertWithinFeeCap('EGLD', EGLD_FEE_CAP, request.maxFee, BigInt(gasPrice) * BigInt(gasLimit), how);
    }
    const signature = bytesToHex(ed25519.sign(egldBytesForSigning(unsigned), seed));
    const signed: EgldSignedTransaction = { ...unsigned, signature };
    return JSON.stringify(signed);
  } finally {
    seed.fill(0);
  }
}

async function completeFromNetwork(
  tx: EgldPendingTx,
  sender: string,
  network: ChainNetwork,
): Promise<EgldUnsignedTransaction> {
  const egld = new EgldNetwork(network);
  const needsConfig = tx.gasPrice === undefined || tx.chainID === undefined || tx.version === undefined;
  const [nonce, config] = await Promise.all([
    tx.nonce ?? egld.nonce(sender).then(nonceOf),
    needsConfig ? egld.config().then(networkConfig) : undefined,
  ]);
  const unsigned: EgldUnsignedTransaction = {
    nonce,
    value: tx.value,
    receiver: tx.receiver,
    sender,
    gasPrice: tx.gasPrice ?? config!.minGasPrice,
    gasLimit: tx.gasLimit ?? 0,
    data: tx.data === undefined ? undefined : Buffer.from(tx.data, 'utf8').toString('base64'),
    chainID: tx.chainID ?? config!.chainId,
    version: tx.version ?? config!.minTransactionVersion,
  };
  if (tx.gasLimit === undefined) {
    unsigned.gasLimit = positiveInteger(await egld.transactionCost(unsigned), 'gas estimate');
  }
  return unsigned;
}

function networkConfig(config: Partial<Record<keyof EgldNetworkConfig, unknown>>): EgldNetworkConfig {
  const { chainId, minGasPrice, minTransactionVersion } = config;
  if (typeof chainId !== 'string' || !/^[0-9A-Za-z-]{1,32}$/.test(chainId)) {
    throw new InvalidNetworkAnswerError('EGLD', 'chain id');
  }
  return {
    chainId,
    minGasPrice: positiveInteger(minGasPrice, 'minimum gas price'),
    minTransactionVersion: positiveInteger(minTransactionVersion, 'transaction version'),
  };
}

function nonceOf(nonce: unknown): number {
  if (typeof nonce !== 'number' || !Number.isSafeInteger(nonce) || nonce < 0) {
    throw new InvalidNetworkAnswerError('EGLD', 'nonce');
  }
  return nonce;
}

function positiveInteger(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new InvalidNetworkAnswerError('EGLD', what);
  }
  return value;
}

function invalid(detail: string): InvalidTransactionError {
  return new InvalidTransactionError('EGLD', detail);
}
