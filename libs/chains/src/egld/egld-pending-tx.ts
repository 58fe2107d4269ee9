import { InvalidTransactionError } from '../chains.errors';
import { egldPublicKeyOf } from './egld-keys';

/**
 * A validated EGLD serializedTransaction. Tatum (SDK 1.37.x `prepareSignedTransactionAbstraction`
 * with a signatureId, read back by `signEgldKMSTransaction`) parks JSON of the form
 * `{from, to, value, data?, gasPrice, gasLimit}`: `value` in EGLD as a decimal (not atomic units),
 * `data` the plain text of the data field. `nonce`, `chainID` and `version` are accepted too
 * (older SDKs wrote a nonce); what is missing comes from the network. Fields left undefined here are
 * filled before signing. MultiversX's own field names (`receiver`, atomic `value`) are not accepted,
 * so an atomic amount can never be read as EGLD.
 */
export interface EgldPendingTx {
  /** `erd1...` sender; when set it must be the signing key's address. */
  readonly sender?: string;
  readonly receiver: string;
  /** Atomic units (10^-18 EGLD), decimal digits without leading zeros. */
  readonly value: string;
  /** The data field as UTF-8 text; undefined when empty. */
  readonly data?: string;
  readonly gasPrice?: number;
  readonly gasLimit?: number;
  readonly nonce?: number;
  readonly chainID?: string;
  readonly version?: number;
}

const EGLD_DECIMALS = 18;
const DECIMAL = /^(\d+)(?:\.(\d*))?(?:e([+-]?\d{1,3}))?$/i;
const CHAIN_ID = /^[0-9A-Za-z-]{1,32}$/;

/** Parses and validates the JSON text; InvalidTransactionError, naming the field, on anything off. */
export function parseEgldPendingTx(text: unknown): EgldPendingTx {
  let json: unknown;
  try {
    json = typeof text === 'string' ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw invalid('it is not a JSON object');
  }
  const tx = json as Record<string, unknown>;

  const receiver = tx.to;
  if (egldPublicKeyOf(receiver) === undefined) throw invalid('`to` is not an erd1 address');
  const sender = tx.from;
  if (sender !== undefined && sender !== null && sender !== 0 && egldPublicKeyOf(sender) === undefined) {
    throw invalid('`from` is not an erd1 address');
  }
  if (tx.data !== undefined && tx.data !== null && typeof tx.data !== 'string') {
    throw invalid('`data` is not a string');
  }
  const chainID = tx.chainID ?? undefined;
  if (chainID !== undefined && (typeof chainID !== 'string' || !CHAIN_ID.test(chainID))) {
    throw invalid('`chainID` is not a chain id');
  }

  return {
    sender: typeof sender === 'string' ? sender : undefined,
    receiver: receiver as string,
    value: egldToAtomic(tx.value),
    data: typeof tx.data === 'string' && tx.data !== '' ? tx.data : undefined,
    gasPrice: optionalUint(tx.gasPrice, 'gasPrice', 1),
    // Tatum writes `gasLimit`; its SDK then reads `gas` (so it always re-estimated): accept both.
    gasLimit: optionalUint(tx.gasLimit ?? tx.gas, 'gasLimit', 1),
    nonce: optionalUint(tx.nonce, 'nonce', 0),
    chainID,
    version: optionalUint(tx.version, 'version', 1),
  };
}

/**
 * Atomic units of an EGLD amount given as a decimal number or string (`"1.5"`, `0.05`, `"1e-3"`),
 * computed exactly (no floating point). Negative amounts and amounts finer than 10^-18 are rejected
 * (Tatum's SDK turned the first into 0 and sent the second as a fraction the node refuses).
 */
export function egldToAtomic(value: unknown): string {
  const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
  const match = typeof text === 'string' ? DECIMAL.exec(text.trim()) : null;
  if (match === null) throw invalid('`value` is not a non-negative decimal amount of EGLD');
  const [, whole, fraction = '', exponent = '0'] = match;
  let digits = whole + fraction;
  const shift = Number(exponent) - fraction.length + EGLD_DECIMALS;
  if (shift >= 0) {
    digits += '0'.repeat(shift);
  } else {
    if (!/^0*$/.test(digits.slice(shift))) throw invalid('`value` has more than 18 decimals');
    digits = digits.slice(0, shift);
  }
  digits = digits.replace(/^0+/, '');
  if (digits.length > 40) throw invalid('`value` is out of range');
  return digits === '' ? '0' : digits;
}

/** A non-negative safe integer (number or decimal string) of at least `min`; undefined when absent. */
function optionalUint(value: unknown, field: string, min: number): number | undefined {
  if (value === undefined || value === null) return undefined;
  const number =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && /^\d{1,16}$/.test(value)
        ? Number(value)
        : NaN;
  if (!Number.isSafeInteger(number) || number < min) {
    throw invalid(`\`${field}\` is not an integer of at least ${min}`);
  }
  return number;
}

function invalid(detail: string): InvalidTransactionError {
  return new InvalidTransactionError('EGLD', detail);
}
