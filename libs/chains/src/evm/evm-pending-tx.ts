import { InvalidTransactionError } from '../chains.errors';
import type { EvmChain } from './evm-chains';
import { checksummed, parsePendingJson, parseQuantity, quantityReader } from './pending-json';

export { parseQuantity };

/**
 * A validated EVM serializedTransaction (docs/tatum-protocol.md §5). Fields left undefined are filled from the
 * network before signing; `to` undefined is a contract creation.
 */
export interface EvmPendingTx {
  /** `0x` + 40 lowercase hex digits (an XDC `xdc...` address is converted). */
  readonly to?: string;
  readonly value: bigint;
  /** `0x`-hex, lowercase, possibly empty (`0x`). */
  readonly data: string;
  readonly nonce?: number;
  readonly gasPrice?: bigint;
  readonly gasLimit?: bigint;
  readonly chainId?: bigint;
  /** Set: sign EIP-1559 (type 2); unset: legacy EIP-155. */
  readonly maxFeePerGas?: bigint;
  readonly maxPriorityFeePerGas?: bigint;
}

const UINT256_MAX = (1n << 256n) - 1n;
const UINT64_MAX = (1n << 64n) - 1n;
const HEX_DATA = /^0x(?:[0-9a-f]{2})*$/i;
const ADDRESS = /^(0x|xdc)([0-9a-f]{40})$/i;

/** Parses and validates the JSON text; InvalidTransactionError, naming the field, on anything off. */
export function parseEvmPendingTx(text: unknown, row: EvmChain): EvmPendingTx {
  const fail = (detail: string): never => {
    throw new InvalidTransactionError(row.chain, detail);
  };
  const tx = parsePendingJson(text, fail);
  const quantity = quantityReader(tx, fail);

  const to = parseTo(tx.to, row, fail);
  const data = parseData(tx.data, fail);
  if (to === undefined && data === '0x') fail('it has no "to" address and no contract code in data');

  const gas = quantity('gas', UINT64_MAX, true);
  const gasLimit = quantity('gasLimit', UINT64_MAX, true);
  if (gas !== undefined && gasLimit !== undefined && gas !== gasLimit) fail('gas and gasLimit disagree');
  const nonce = quantity('nonce', BigInt(Number.MAX_SAFE_INTEGER));
  // Tatum's SDK treats a gasPrice of 0, "0" or "0x0" as missing (signEthKMSTransaction and siblings).
  const givenGasPrice = quantity('gasPrice', UINT256_MAX);
  const gasPrice = givenGasPrice === 0n ? undefined : givenGasPrice;
  const maxFeePerGas = quantity('maxFeePerGas', UINT256_MAX);
  const maxPriorityFeePerGas = quantity('maxPriorityFeePerGas', UINT256_MAX);
  if (maxFeePerGas === undefined && maxPriorityFeePerGas !== undefined) {
    fail('maxPriorityFeePerGas is set without maxFeePerGas');
  }
  if (maxFeePerGas !== undefined && gasPrice !== undefined) fail('gasPrice and maxFeePerGas are exclusive');
  if (
    maxFeePerGas !== undefined &&
    maxPriorityFeePerGas !== undefined &&
    maxPriorityFeePerGas > maxFeePerGas
  ) {
    fail('maxPriorityFeePerGas exceeds maxFeePerGas');
  }
  checkType(tx.type, maxFeePerGas !== undefined, fail);

  return {
    to,
    value: quantity('value', UINT256_MAX) ?? 0n,
    data,
    nonce: nonce === undefined ? undefined : Number(nonce),
    gasPrice,
    gasLimit: gas ?? gasLimit,
    chainId: quantity('chainId', UINT64_MAX, true),
    maxFeePerGas,
    maxPriorityFeePerGas,
  };
}

/** `0x`/`xdc` (XDC only) + 40 hex digits; mixed case must be a valid EIP-55 checksum. */
function parseTo(value: unknown, row: EvmChain, fail: (detail: string) => never): string | undefined {
  if (value === undefined || value === null) return undefined;
  const match = typeof value === 'string' ? ADDRESS.exec(value) : null;
  const prefix = match?.[1].toLowerCase();
  if (!match || (prefix === 'xdc' && row.addressPrefix !== 'xdc')) {
    const accepted = row.addressPrefix === 'xdc' ? '0x or xdc' : '0x';
    return fail(`to is not an address (${accepted} followed by 40 hex digits)`);
  }
  const hex = match[2];
  if (hex !== hex.toLowerCase() && hex !== hex.toUpperCase() && checksummed(hex) !== hex) {
    fail('to has an invalid EIP-55 checksum (mixed case)');
  }
  return `0x${hex.toLowerCase()}`;
}

function parseData(value: unknown, fail: (detail: string) => never): string {
  if (value === undefined || value === null || value === '') return '0x';
  if (typeof value !== 'string' || !HEX_DATA.test(value)) {
    return fail('data is not 0x-prefixed hex with an even number of digits');
  }
  return value.toLowerCase();
}

/** An explicit `type` must agree with the fee fields: 0 legacy, 2 EIP-1559; others are unsupported. */
function checkType(value: unknown, eip1559: boolean, fail: (detail: string) => never): void {
  if (value === undefined || value === null) return;
  const type = parseQuantity(value, 255n);
  if (type === 0n && !eip1559) return;
  if (type === 2n && eip1559) return;
  if (type === 0n || type === 2n)
    fail(`type ${type} does not match the fee fields (maxFeePerGas means type 2)`);
  fail('type is not supported (only 0 legacy and 2 EIP-1559)');
}
