import { InvalidTransactionError } from '../chains.errors';
import { checksummed, parsePendingJson, quantityReader } from '../evm/pending-json';

/**
 * A validated VET serializedTransaction: the web3 transaction config Tatum's SDK hands to thorify
 * (`{from, to, value, data, gas}`), plus the Thor fields thorify honours when present. Undefined
 * fields are filled in by the signer (from the network or from thorify's defaults).
 */
export interface VetPendingTx {
  /** `0x` + 40 lowercase hex digits; null deploys `data` as a contract. */
  readonly to: string | null;
  readonly value: bigint;
  /** `0x`-hex, lowercase, possibly `0x`. */
  readonly data: string;
  readonly gas?: bigint;
  readonly chainTag?: number;
  /** `0x` + 16 hex digits. */
  readonly blockRef?: string;
  readonly expiration?: number;
  readonly gasPriceCoef?: number;
  /** `0x` + 64 hex digits, or null. */
  readonly dependsOn: string | null;
  readonly nonce?: bigint;
}

const UINT256_MAX = (1n << 256n) - 1n;
const UINT64_MAX = (1n << 64n) - 1n;
const ADDRESS = /^0x([0-9a-f]{40})$/i;
const HEX_DATA = /^0x(?:[0-9a-f]{2})*$/i;
const BLOCK_REF = /^0x[0-9a-f]{16}$/i;
const TX_ID = /^0x[0-9a-f]{64}$/i;

const fail = (detail: string): never => {
  throw new InvalidTransactionError('VET', detail);
};

/**
 * Parses the JSON text; InvalidTransactionError, naming the field, on anything off. `from` and
 * `gasPrice` are ignored (thorify drops them); dynamic-fee fields are refused, since Tatum's VET
 * transactions are legacy (gasPriceCoef) ones.
 */
export function parseVetPendingTx(text: unknown): VetPendingTx {
  const tx = parsePendingJson(text, fail);
  const quantity = quantityReader(tx, fail);
  const small = (field: string, max: number): number | undefined => {
    const parsed = quantity(field, BigInt(max));
    return parsed === undefined ? undefined : Number(parsed);
  };

  if (tx.maxFeePerGas !== undefined || tx.maxPriorityFeePerGas !== undefined) {
    fail('dynamic-fee (maxFeePerGas) transactions are not supported; use gasPriceCoef');
  }
  const to = parseTo(tx.to);
  const data = parseHex('data', tx.data, HEX_DATA, '0x-prefixed hex with an even number of digits') ?? '0x';
  if (to === null && data === '0x') fail('it has no "to" address and no contract code in data');
  const gas = quantity('gas', UINT64_MAX, true);
  const gasLimit = quantity('gasLimit', UINT64_MAX, true);
  if (gas !== undefined && gasLimit !== undefined && gas !== gasLimit) fail('gas and gasLimit disagree');

  return {
    to,
    value: quantity('value', UINT256_MAX) ?? 0n,
    data,
    gas: gas ?? gasLimit,
    chainTag: small('chainTag', 0xff),
    blockRef: parseHex('blockRef', tx.blockRef, BLOCK_REF, '0x + 16 hex digits (8 bytes of a block id)'),
    expiration: small('expiration', 0xffffffff),
    gasPriceCoef: small('gasPriceCoef', 0xff),
    dependsOn: parseHex('dependsOn', tx.dependsOn, TX_ID, 'a transaction id (0x + 64 hex digits)') ?? null,
    nonce: quantity('nonce', UINT64_MAX),
  };
}

/** `0x` + 40 hex digits; mixed case must be a valid EIP-55 checksum (VeChain uses it too). */
function parseTo(value: unknown): string | null {
  if (value === undefined || value === null || value === '') return null;
  const match = typeof value === 'string' ? ADDRESS.exec(value) : null;
  if (!match) return fail('to is not an address (0x followed by 40 hex digits)');
  const hex = match[1];
  if (hex !== hex.toLowerCase() && hex !== hex.toUpperCase() && checksummed(hex) !== hex) {
    fail('to has an invalid EIP-55 checksum (mixed case)');
  }
  return `0x${hex.toLowerCase()}`;
}

function parseHex(field: string, value: unknown, format: RegExp, expected: string): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' || !format.test(value)) return fail(`${field} is not ${expected}`);
  return value.toLowerCase();
}
