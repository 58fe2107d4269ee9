import type * as Ethers from 'ethers';
import type * as TinySecp256k1 from 'tiny-secp256k1';
import type { SignRequest } from '../chain-signer.port';
import { InvalidNetworkAnswerError, InvalidTransactionError } from '../chains.errors';
import { assertWithinFeeCap } from '../fee-cap';
import { lazy } from '../lazy';
import type { EvmChain } from './evm-chains';
import type { EvmPendingTx } from './evm-pending-tx';
import { checksummed, parsePendingJson, parseQuantity } from './pending-json';
import { EvmNetwork } from './evm-network';

const ethers: () => Promise<typeof Ethers> = lazy(() => import('ethers'));
const libsecp256k1: () => Promise<typeof TinySecp256k1> = lazy(() => import('tiny-secp256k1'));

/** CIP-64 (a Celo EIP-1559 transaction whose gas is paid in an ERC-20 fee currency) type byte. */
const CIP64_TYPE = 0x7b;
/** Gas Tatum's SDK adds to an estimate for a CELO transaction it signs for the KMS. */
const ESTIMATE_MARGIN = 100_000n;
const UINT64_MAX = (1n << 64n) - 1n;
const UINT256_MAX = (1n << 256n) - 1n;
/** The CELO token's own ERC-20 address (mainnet, Alfajores): gas in CELO, not a fee currency. */
const CELO_TOKEN = new Set([
  '0x471ece3750da237f93b8e339c536989b8978a438',
  '0xf194afdf50b03e69bd7d057c1aa9e10c9954e4c9',
]);

/**
 * The `feeCurrency` of a CELO serializedTransaction (Tatum writes the cUSD or cEUR contract there
 * when gas is to be paid in that token, as Tatum's SDK signs it): a lowercase address, or undefined
 * when absent, empty, or the CELO token itself (gas in CELO: an ordinary transaction). Anything else
 * is InvalidTransactionError.
 */
export function celoFeeCurrency(serializedTransaction: string): string | undefined {
  const fail = (detail: string): never => {
    throw new InvalidTransactionError('CELO', detail);
  };
  const value = parsePendingJson(serializedTransaction, fail).feeCurrency;
  if (value === undefined || value === null || value === '') return undefined;
  const match = typeof value === 'string' ? /^0x([0-9a-f]{40})$/i.exec(value) : null;
  if (!match) return fail('feeCurrency is not a token address (0x followed by 40 hex digits)');
  const hex = match[1];
  if (hex !== hex.toLowerCase() && hex !== hex.toUpperCase() && checksummed(hex) !== hex) {
    fail('feeCurrency has an invalid EIP-55 checksum (mixed case)');
  }
  const address = `0x${hex.toLowerCase()}`;
  return CELO_TOKEN.has(address) ? undefined : address;
}

/**
 * Signs a CELO transaction whose gas is paid in `feeCurrency` as today's Celo accepts it: a CIP-64
 * transaction, `0x7b || rlp([chainId, nonce, maxPriorityFeePerGas, maxFeePerGas, gasLimit, to, value,
 * data, accessList, feeCurrency, yParity, r, s])`. Fees are in units of the fee currency:
 * `maxFeePerGas`/`maxPriorityFeePerGas` as given (a missing priority fee is maxFeePerGas: the most
 * the transaction agreed to pay); a `gasPrice` (or, when neither is set or it is 0,
 * the node's `eth_gasPrice` for the fee currency, as the SDK asks it) becomes both. A missing nonce
 * comes from the nonce endpoint (0 is kept), a missing gas limit from `eth_estimateGas` with the fee
 * currency plus 100,000 (the SDK's margin). When a fee or the gas limit came from the network,
 * price x limit must be within the CELO fee cap, counted in fee-currency units (cUSD and cEUR have
 * 18 decimals, as CELO). Errors as signEvmTransaction's; no message quotes the key.
 */
export async function signCeloFeeCurrencyTransaction(
  row: EvmChain,
  pending: EvmPendingTx,
  feeCurrency: string,
  chainId: bigint,
  keyBytes: Uint8Array,
  from: () => string,
  request: SignRequest,
): Promise<string> {
  const network = new EvmNetwork(row, request.network);
  const given = pending.maxFeePerGas ?? (pending.gasPrice || undefined);
  const [nonce, price, gasLimit] = await Promise.all([
    pending.nonce ??
      network.nonce(from()).then((n) => {
        if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) {
          throw new InvalidNetworkAnswerError(row.chain, 'nonce');
        }
        return n;
      }),
    given ??
      network
        .rpc('eth_gasPrice', [feeCurrency])
        .then((answer: unknown) => quantity(row.chain, 'gas price', answer, UINT256_MAX, true)),
    pending.gasLimit ??
      network
        .rpc('eth_estimateGas', [
          {
            from: from(),
            ...(pending.to === undefined ? {} : { to: pending.to }),
            value: `0x${pending.value.toString(16)}`,
            data: pending.data,
            feeCurrency,
          },
        ])
        .then((gas: unknown) => quantity(row.chain, 'gas estimate', gas, UINT64_MAX, true) + ESTIMATE_MARGIN),
  ]);
  const maxFeePerGas = price;
  const maxPriorityFeePerGas =
    pending.maxFeePerGas === undefined ? price : (pending.maxPriorityFeePerGas ?? price);
  if (given === undefined || pending.gasLimit === undefined) {
    const how = `maxFeePerGas ${maxFeePerGas} x gas limit ${gasLimit} (fee currency ${feeCurrency})`;
    assertWithinFeeCap(row.chain, row.feeCap, request.maxFee, maxFeePerGas * gasLimit, how);
  }
  const { encodeRlp, keccak256, toBeArray, concat } = await ethers();
  const int = (value: bigint | number) => toBeArray(BigInt(value));
  const fields = [
    int(chainId),
    int(nonce),
    int(maxPriorityFeePerGas),
    int(maxFeePerGas),
    int(gasLimit),
    pending.to ?? '0x',
    int(pending.value),
    pending.data,
    [],
    feeCurrency,
  ];
  const type = Uint8Array.of(CIP64_TYPE);
  const digest = keccak256(concat([type, encodeRlp(fields)]));
  const ecc = await libsecp256k1();
  const { signature, recoveryId } = ecc.signRecoverable(Buffer.from(digest.slice(2), 'hex'), keyBytes);
  const r = toBeArray(BigInt(`0x${Buffer.from(signature.subarray(0, 32)).toString('hex')}`));
  const s = toBeArray(BigInt(`0x${Buffer.from(signature.subarray(32)).toString('hex')}`));
  return concat([type, encodeRlp([...fields, int(recoveryId), r, s])]);
}

function quantity(chain: string, what: string, value: unknown, max: bigint, positive = false): bigint {
  const parsed = parseQuantity(value, max);
  if (typeof parsed !== 'bigint' || (positive && parsed === 0n))
    throw new InvalidNetworkAnswerError(chain, what);
  return parsed;
}
