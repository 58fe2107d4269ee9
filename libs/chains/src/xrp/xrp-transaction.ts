import { InvalidTransactionError } from '../chains.errors';
import { lazy } from '../lazy';
import { loadRippleKeypairs, openXrpAccount } from './xrp-keys';

/** ripple-binary-codec (the XRPL wire format), loaded on first use. */
const loadCodec = lazy(() => import('ripple-binary-codec'));

/**
 * Highest Fee we sign, in drops: 2 XRP, ripple-lib's default `maxFeeXRP`, under which tatum-kms signs
 * (RippleAPI.sign refuses more). A pending transaction asking more is refused, not capped.
 */
export const XRP_MAX_FEE_DROPS = 2_000_000n;

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type XrpTransactionJson = { [key: string]: Json };

/**
 * Signs an XRP pending transaction (docs/tatum-protocol.md §5: `serializedTransaction` is the JSON of an XRPL
 * transaction, as ripple-lib's prepare* wrote it) with the wallet's family seed, as tatum-kms does
 * through RippleAPI.sign: SigningPubKey and TxnSignature are set, nothing else changes. Returns the
 * tx_blob (uppercase hex).
 *
 * Checks first, InvalidTransactionError otherwise: a JSON object with TransactionType, Account equal
 * to the seed's address, Fee (drops, at most XRP_MAX_FEE_DROPS), Sequence; no TxnSignature or
 * Signers (single signing only); every field known to the codec and surviving the round trip through
 * the binary format (nothing is dropped or altered on the way). InvalidPrivateKeyError for a bad seed.
 */
export async function signXrpTransaction(serializedTransaction: string, secret: string): Promise<string> {
  const tx = parseXrpTransaction(serializedTransaction);
  const account = await openXrpAccount(secret);
  if (tx.Account !== account.address) throw invalid('its Account is not the address of the wallet');
  if (typeof tx.SigningPubKey === 'string' && !sameText(tx.SigningPubKey, account.publicKey)) {
    throw invalid('its SigningPubKey is not the public key of the wallet');
  }
  const [codec, keypairs] = await Promise.all([loadCodec(), loadRippleKeypairs()]);

  const unsigned = { ...tx, SigningPubKey: account.publicKey };
  let signingData: string;
  try {
    signingData = codec.encodeForSigning(unsigned);
  } catch (error) {
    throw invalid(`it cannot be serialized: ${(error as Error).message}`);
  }
  const signed = { ...unsigned, TxnSignature: keypairs.sign(signingData, account.privateKey) };
  const blob = codec.encode(signed);
  const mismatch = firstDifference(codec.decode(blob) as Json, signed, '');
  if (mismatch !== undefined) throw invalid(`field ${mismatch} does not survive serialization`);
  return blob;
}

/**
 * The one parse of an XRP serializedTransaction, shared by signing and describing: a JSON object with
 * TransactionType, Account, Fee (drops, within XRP_MAX_FEE_DROPS) and Sequence, not yet signed.
 * InvalidTransactionError otherwise.
 */
export function parseXrpTransaction(text: string): XrpTransactionJson {
  let tx: unknown;
  try {
    tx = JSON.parse(text);
  } catch {
    throw invalid('it is not JSON');
  }
  if (typeof tx !== 'object' || tx === null || Array.isArray(tx)) throw invalid('it is not a JSON object');
  const fields = tx as XrpTransactionJson;
  if (typeof fields.TransactionType !== 'string' || fields.TransactionType === '') {
    throw invalid('TransactionType is missing');
  }
  if (typeof fields.Account !== 'string') throw invalid('Account is missing');
  if (typeof fields.Fee !== 'string' || !/^\d{1,19}$/.test(fields.Fee)) {
    throw invalid('Fee must be a string of drops');
  }
  if (BigInt(fields.Fee) > XRP_MAX_FEE_DROPS) {
    throw invalid(`its Fee of ${fields.Fee} drops exceeds the maximum of ${XRP_MAX_FEE_DROPS} drops`);
  }
  if (!Number.isSafeInteger(fields.Sequence) || (fields.Sequence as number) < 0) {
    throw invalid('Sequence must be a non-negative integer');
  }
  if (fields.SigningPubKey !== undefined && typeof fields.SigningPubKey !== 'string') {
    throw invalid('SigningPubKey must be hex');
  }
  if ('TxnSignature' in fields || 'Signers' in fields) {
    throw invalid('it is already signed (TxnSignature or Signers present)');
  }
  return fields;
}

/**
 * The path of the first field where the decoded blob differs from what was encoded, or undefined.
 * The codec writes hex in uppercase, amounts as canonical decimals and integers given as strings as
 * numbers: those compare equal, being the same values.
 */
function firstDifference(decoded: Json, original: Json, path: string): string | undefined {
  if (Array.isArray(original)) {
    if (!Array.isArray(decoded) || decoded.length !== original.length) return path || '(root)';
    for (let i = 0; i < original.length; i++) {
      const found = firstDifference(decoded[i], original[i], `${path}[${i}]`);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (typeof original === 'object' && original !== null) {
    if (typeof decoded !== 'object' || decoded === null || Array.isArray(decoded)) return path || '(root)';
    const keys = new Set([...Object.keys(original), ...Object.keys(decoded)]);
    for (const key of keys) {
      const found = firstDifference(decoded[key], original[key], path ? `${path}.${key}` : key);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (typeof original === 'string' && (typeof decoded === 'string' || typeof decoded === 'number')) {
    const text = String(decoded);
    return sameText(text, original) || sameDecimal(text, original) ? undefined : path;
  }
  return decoded === original ? undefined : path;
}

/** Equal, or the same hex in another case. */
function sameText(a: string, b: string): boolean {
  return a === b || (/^[0-9a-f]+$/i.test(a) && a.toUpperCase() === b.toUpperCase());
}

const DECIMAL = /^-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** The same number written two ways (issued-currency value "10.50" decoded as "10.5", "7" as 7). */
function sameDecimal(a: string, b: string): boolean {
  return DECIMAL.test(a) && DECIMAL.test(b) && Number(a) === Number(b);
}

function invalid(detail: string): InvalidTransactionError {
  return new InvalidTransactionError('XRP', detail);
}
