import { secp256k1 } from '@noble/curves/secp256k1.js';
import type * as Ethers from 'ethers';
import type * as TinySecp256k1 from 'tiny-secp256k1';
import type { DescribeRequest, SignRequest } from '../chain-signer.port';
import { InvalidNetworkAnswerError, InvalidTransactionError } from '../chains.errors';
import { assertWithinFeeCap } from '../fee-cap';
import { lazy } from '../lazy';
import { celoFeeCurrency, signCeloFeeCurrencyTransaction } from './celo-fee-currency';
import type { EvmChain } from './evm-chains';
import { EvmNetwork } from './evm-network';
import { evmAddress, parseEvmPrivateKey } from './evm-keys';
import { type EvmPendingTx, parseEvmPendingTx, parseQuantity } from './evm-pending-tx';

const ethers: () => Promise<typeof Ethers> = lazy(() => import('ethers'));
/** libsecp256k1 compiled to WebAssembly: the same RFC 6979 low-S signatures as @noble/curves, ~3x faster. */
const libsecp256k1: () => Promise<typeof TinySecp256k1> = lazy(() => import('tiny-secp256k1'));

const UINT64_MAX = (1n << 64n) - 1n;
const UINT256_MAX = (1n << 256n) - 1n;

/**
 * Signs an EVM pending transaction (docs/tatum-protocol.md §5) with `request.keys[0]` and returns the
 * 0x-prefixed signed serialization: legacy EIP-155, or EIP-1559 (type 2) when `maxFeePerGas` is set,
 * or for CELO with a `feeCurrency`, CIP-64 (type 0x7b, see signCeloFeeCurrencyTransaction).
 * The chain id is the row's for `request.testnet`; a `chainId` in the JSON must be that one (another
 * chain's or network's id is refused). A missing nonce, gas price, priority fee or gas limit is asked
 * from `request.network` (a nonce of 0 is kept); when the gas price or the gas limit came from the
 * network, price x limit must stay within the fee cap (`request.maxFee`, else the row's). Off-chain
 * withdrawals sign the same way. Throws InvalidTransactionError for a malformed transaction,
 * FeeCapExceededError, InvalidPrivateKeyError for a bad key, InvalidNetworkAnswerError for an
 * unusable network answer; no message ever quotes the key. ethers is loaded on the first call.
 */
export async function signEvmTransaction(row: EvmChain, request: SignRequest): Promise<string> {
  const { pending, chainId } = parseEvmRequest(row, request);
  if (request.keys.length === 0) {
    throw new InvalidTransactionError(row.chain, 'no private key was resolved to sign it');
  }
  const keyBytes = parseEvmPrivateKey(request.keys[0], row.chain);
  try {
    // The sender's address costs a point multiplication: only computed when the network is asked.
    const from = () => evmAddress(secp256k1.getPublicKey(keyBytes, false), '0x');
    // CELO: gas paid in cUSD/cEUR (`feeCurrency`) is a CIP-64 transaction (celo-fee-currency.ts)
    const feeCurrency = row.chain === 'CELO' ? celoFeeCurrency(request.serializedTransaction) : undefined;
    if (feeCurrency !== undefined) {
      return await signCeloFeeCurrencyTransaction(
        row,
        pending,
        feeCurrency,
        chainId,
        keyBytes,
        from,
        request,
      );
    }
    const tx = await completeFromNetwork(row, pending, from, request);
    checkFeeCap(row, pending, tx, request.maxFee);
    return await signCompleteTransaction(row, { ...tx, chainId }, keyBytes);
  } finally {
    keyBytes.fill(0);
  }
}

/**
 * The pending transaction of a request and the chain id it is signed for: the one parse that both
 * signEvmTransaction and describeEvmTransaction use. InvalidTransactionError for a malformed
 * transaction or a `chainId` of another chain or network.
 */
export function parseEvmRequest(
  row: EvmChain,
  request: DescribeRequest,
): { pending: EvmPendingTx; chainId: bigint } {
  const pending = parseEvmPendingTx(request.serializedTransaction, row);
  const chainId = BigInt(request.testnet ? row.chainId.testnet : row.chainId.mainnet);
  if (pending.chainId !== undefined && pending.chainId !== chainId) {
    const network = request.testnet ? 'testnet' : 'mainnet';
    throw new InvalidTransactionError(
      row.chain,
      `chainId ${pending.chainId} is not the chain id of ${row.chain} ${network} (${chainId})`,
    );
  }
  return { pending, chainId };
}

/**
 * Serializes with ethers and signs the unsigned hash with libsecp256k1 (RFC 6979, low S: the same
 * bytes ethers' SigningKey would produce, from a faster implementation).
 */
async function signCompleteTransaction(
  row: EvmChain,
  tx: CompleteTx & { readonly chainId: bigint },
  keyBytes: Uint8Array,
): Promise<string> {
  const [{ Transaction, Signature }, ecc] = await Promise.all([ethers(), libsecp256k1()]);
  try {
    const transaction = Transaction.from({
      type: tx.maxFeePerGas === undefined ? 0 : 2,
      to: tx.to ?? null,
      value: tx.value,
      data: tx.data,
      nonce: tx.nonce,
      gasLimit: tx.gasLimit,
      chainId: tx.chainId,
      ...(tx.maxFeePerGas === undefined
        ? { gasPrice: tx.gasPrice }
        : { maxFeePerGas: tx.maxFeePerGas, maxPriorityFeePerGas: tx.maxPriorityFeePerGas }),
    });
    const { signature, recoveryId } = ecc.signRecoverable(
      Buffer.from(transaction.unsignedHash.slice(2), 'hex'),
      keyBytes,
    );
    transaction.signature = Signature.from({
      r: `0x${Buffer.from(signature.subarray(0, 32)).toString('hex')}`,
      s: `0x${Buffer.from(signature.subarray(32)).toString('hex')}`,
      yParity: recoveryId as 0 | 1,
    });
    return transaction.serialized;
  } catch (error) {
    // ethers messages quote their arguments: keep only its error code.
    const code = (error as { code?: unknown })?.code;
    throw new InvalidTransactionError(
      row.chain,
      `it could not be signed (${typeof code === 'string' ? code : 'encoding error'})`,
    );
  }
}

type CompleteTx = EvmPendingTx & { readonly nonce: number; readonly gasLimit: bigint };

/**
 * When the gas price (legacy) or the gas limit came from the network, the most the transaction can
 * pay, (maxFeePerGas or gasPrice) x gasLimit, must be within the cap. A priority fee from the
 * network changes nothing: it is at most the transaction's own maxFeePerGas.
 */
function checkFeeCap(row: EvmChain, pending: EvmPendingTx, tx: CompleteTx, maxFee: string | undefined): void {
  const priceFromNetwork = pending.maxFeePerGas === undefined && pending.gasPrice === undefined;
  if (!priceFromNetwork && pending.gasLimit !== undefined) return;
  const price = tx.maxFeePerGas ?? tx.gasPrice!;
  const how = `${tx.maxFeePerGas === undefined ? 'gas price' : 'maxFeePerGas'} ${price} wei x gas limit ${tx.gasLimit}`;
  assertWithinFeeCap(row.chain, row.feeCap, maxFee, price * tx.gasLimit, how);
}

/** Asks the network, concurrently, for what the transaction left out; validates every answer. */
async function completeFromNetwork(
  row: EvmChain,
  tx: EvmPendingTx,
  from: () => string,
  request: Pick<SignRequest, 'network'>,
): Promise<CompleteTx> {
  const chain = row.chain;
  const network = new EvmNetwork(row, request.network);
  const eip1559 = tx.maxFeePerGas !== undefined;
  const [nonce, gasPrice, maxPriorityFeePerGas, gasLimit] = await Promise.all([
    tx.nonce ?? network.nonce(from()).then((n) => nonceOf(chain, n)),
    eip1559 || tx.gasPrice !== undefined
      ? tx.gasPrice
      : network.gasPrice().then((price) => quantityOf(chain, 'gas price', price, UINT256_MAX)),
    !eip1559 || tx.maxPriorityFeePerGas !== undefined
      ? tx.maxPriorityFeePerGas
      : network
          .rpc('eth_maxPriorityFeePerGas', [])
          .then((fee) => quantityOf(chain, 'priority fee', fee, UINT256_MAX))
          .then((fee) => (fee > tx.maxFeePerGas! ? tx.maxFeePerGas! : fee)),
    tx.gasLimit ??
      network
        .rpc('eth_estimateGas', [
          {
            from: from(),
            ...(tx.to === undefined ? {} : { to: tx.to }),
            value: `0x${tx.value.toString(16)}`,
            data: tx.data,
          },
        ])
        .then((gas) => quantityOf(chain, 'gas estimate', gas, UINT64_MAX, true)),
  ]);
  return { ...tx, nonce, gasPrice, maxPriorityFeePerGas, gasLimit };
}

function nonceOf(chain: string, nonce: unknown): number {
  if (typeof nonce !== 'number' || !Number.isSafeInteger(nonce) || nonce < 0) {
    throw new InvalidNetworkAnswerError(chain, 'nonce');
  }
  return nonce;
}

function quantityOf(chain: string, what: string, value: unknown, max: bigint, positive = false): bigint {
  const quantity = parseQuantity(value, max);
  if (typeof quantity !== 'bigint' || (positive && quantity === 0n)) {
    throw new InvalidNetworkAnswerError(chain, what);
  }
  return quantity;
}
