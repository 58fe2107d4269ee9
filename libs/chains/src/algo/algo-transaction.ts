import type * as Algosdk from 'algosdk';
import { InvalidTransactionError } from '../chains.errors';
import { loadAlgosdk, openAlgoSecret } from './algo-keys';

/** Genesis hash of Algorand mainnet (base64): a mainnet request signs only transactions bound to it. */
export const ALGO_MAINNET_GENESIS_HASH = 'wGHE2Pwdvd7S12BL5FaOP20EGYesN73ktiC1qzkkit8=';

type Fields = Record<string, unknown>;

/**
 * Signs an ALGO pending transaction with the wallet's secret and returns the signed transaction
 * (msgpack `{sig, txn}`) as hex.
 *
 * What Tatum sends and expects (tatum-js v1 `src/transaction/algo.ts`, @tatumio/tatum 1.37.x, which
 * tatum-kms 8 calls as `algorandBroadcast(await signAlgoKMSTransaction(tx, secret, testnet), tx.id)`):
 * `serializedTransaction` is `JSON.stringify(txn)` of an algosdk 1.16 Transaction object built by
 * make*TxnWithSuggestedParams: camelCase fields (`from`, `to`, `amount`, `fee`, `firstRound`,
 * `lastRound`, `genesisID`, `assetIndex`, `assetTotal`...), addresses as `{publicKey: {"0": n, ...},
 * checksum}`, byte fields as a Uint8Array's JSON (`{"0": n, ...}`) or a Buffer's (`{type: 'Buffer',
 * data: [...]}`), `fee` already final. Tatum rebuilds it with `new algosdk.Transaction(txn)`, signs with
 * the base32-decoded secret key and returns `Buffer.from(signedTxn).toString('hex')`: the txData is hex.
 *
 * Where Tatum is buggy we sign the transaction as serialized instead: its rebuild re-applies per-byte
 * fees when `flatFee` is false (a 1000 µALGO fee becomes 1000 × size), fails on transactions without
 * `to` (asset create/destroy) and silently drops reserve/freeze/clawback/revocation target. Types
 * signed: pay, axfer, acfg. Refused (InvalidTransactionError): other types, a rekey (`reKeyTo`, which
 * Tatum drops silently: signing one would hand the account over), a sender other than the wallet, a
 * mainnet request whose genesis hash is not mainnet's or a testnet request bound to mainnet, and
 * anything malformed. InvalidPrivateKeyError for a bad secret.
 */
export async function signAlgoTransaction(
  serializedTransaction: string,
  secret: string,
  testnet: boolean,
): Promise<string> {
  const transaction = await parseAlgoTransaction(serializedTransaction, testnet);
  const account = await openAlgoSecret(secret);
  try {
    if (transaction.sender.toString() !== account.address) {
      throw invalid('its sender (from) is not the wallet');
    }
    return Buffer.from(transaction.signTxn(account.secretKey)).toString('hex');
  } finally {
    account.secretKey.fill(0);
  }
}

/**
 * The one parse of an ALGO serializedTransaction, shared by signing and describing: the algosdk
 * Transaction that gets signed, bound to the request's network. InvalidTransactionError otherwise.
 */
export async function parseAlgoTransaction(
  serializedTransaction: string,
  testnet: boolean,
): Promise<Algosdk.Transaction> {
  const algosdk = await loadAlgosdk();
  const transaction = buildTransaction(algosdk, parseFields(serializedTransaction));
  checkNetwork(transaction.genesisHash!, testnet);
  return transaction;
}

function parseFields(text: string): Fields {
  let fields: unknown;
  try {
    fields = JSON.parse(text);
  } catch {
    throw invalid('it is not JSON');
  }
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) {
    throw invalid('it is not a JSON object');
  }
  return fields as Fields;
}

function buildTransaction(algosdk: typeof Algosdk, fields: Fields): Algosdk.Transaction {
  const read = reader(algosdk, fields);
  if (present(fields.reKeyTo) || present(fields.rekeyTo)) throw invalid('it would rekey the account');
  const type = fields.type;
  const common = {
    sender: read.address('from', true)!,
    note: read.bytes('note'),
    lease: read.bytes('lease', 32),
    suggestedParams: {
      fee: read.uint('fee', true)!,
      flatFee: true,
      minFee: 0,
      firstValid: read.uint('firstRound', true)!,
      lastValid: read.uint('lastRound', true)!,
      genesisID: read.text('genesisID'),
      genesisHash: read.requiredBytes('genesisHash', 32),
    },
  };
  let transaction: Algosdk.Transaction;
  try {
    transaction = new algosdk.Transaction(typeParams(algosdk, read, type, common));
  } catch (error) {
    if (error instanceof InvalidTransactionError) throw error;
    throw invalid(`algosdk refuses it: ${(error as Error).message}`);
  }
  const group = read.bytes('group', 32);
  if (group !== undefined) transaction.group = group;
  return transaction;
}

function typeParams(
  algosdk: typeof Algosdk,
  read: Reader,
  type: unknown,
  common: Omit<Algosdk.TransactionParams, 'type'>,
): Algosdk.TransactionParams {
  switch (type) {
    case 'pay':
      return {
        ...common,
        type: algosdk.TransactionType.pay,
        paymentParams: {
          receiver: read.address('to', true)!,
          amount: read.uint('amount') ?? 0,
          closeRemainderTo: read.address('closeRemainderTo'),
        },
      };
    case 'axfer':
      return {
        ...common,
        type: algosdk.TransactionType.axfer,
        assetTransferParams: {
          assetIndex: read.uint('assetIndex', true)!,
          receiver: read.address('to', true)!,
          amount: read.uint('amount') ?? 0,
          assetSender: read.address('assetRevocationTarget'),
          closeRemainderTo: read.address('closeRemainderTo'),
        },
      };
    case 'acfg':
      return {
        ...common,
        type: algosdk.TransactionType.acfg,
        assetConfigParams: {
          assetIndex: read.uint('assetIndex'),
          total: read.uint('assetTotal'),
          decimals: read.uint('assetDecimals'),
          defaultFrozen: read.bool('assetDefaultFrozen'),
          unitName: read.text('assetUnitName'),
          assetName: read.text('assetName'),
          assetURL: read.text('assetURL'),
          assetMetadataHash: read.bytes('assetMetadataHash', 32),
          manager: read.address('assetManager'),
          reserve: read.address('assetReserve'),
          freeze: read.address('assetFreeze'),
          clawback: read.address('assetClawback'),
        },
      };
    default:
      throw invalid(`type ${JSON.stringify(type)} is not signed (pay, axfer and acfg are)`);
  }
}

function checkNetwork(genesisHash: Uint8Array, testnet: boolean): void {
  const mainnet = Buffer.from(genesisHash).toString('base64') === ALGO_MAINNET_GENESIS_HASH;
  if (!testnet && !mainnet) throw invalid('its genesisHash is not the one of Algorand mainnet');
  if (testnet && mainnet) throw invalid('its genesisHash is the one of mainnet, not of a test network');
}

type Reader = ReturnType<typeof reader>;

/** Typed accessors of the serialized fields; each throws InvalidTransactionError naming the field. */
function reader(algosdk: typeof Algosdk, fields: Fields) {
  const value = (name: string, required: boolean): unknown => {
    const v = fields[name];
    if (!present(v) && required) throw invalid(`${name} is missing`);
    return present(v) ? v : undefined;
  };
  return {
    uint(name: string, required = false): bigint | undefined {
      const v = value(name, required);
      if (v === undefined) return undefined;
      if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return BigInt(v);
      if (typeof v === 'string' && /^\d{1,20}$/.test(v) && BigInt(v) < 2n ** 64n) return BigInt(v);
      throw invalid(`${name} must be an unsigned 64-bit integer`);
    },
    text(name: string): string | undefined {
      const v = value(name, false);
      if (v !== undefined && typeof v !== 'string') throw invalid(`${name} must be a string`);
      return v as string | undefined;
    },
    bool(name: string): boolean | undefined {
      const v = value(name, false);
      if (v !== undefined && typeof v !== 'boolean') throw invalid(`${name} must be a boolean`);
      return v as boolean | undefined;
    },
    /** Bytes, undefined when absent or empty (an empty note or lease is no note or lease). */
    bytes(name: string, length?: number): Uint8Array | undefined {
      const v = value(name, false);
      const bytes = v === undefined ? undefined : bytesOf(v, name);
      if (bytes === undefined || bytes.length === 0) return undefined;
      if (length !== undefined && bytes.length !== length) throw invalid(`${name} must be ${length} bytes`);
      return bytes;
    },
    requiredBytes(name: string, length: number): Uint8Array {
      const bytes = this.bytes(name, length);
      if (bytes === undefined) throw invalid(`${name} is missing`);
      return bytes;
    },
    /** An address as algosdk 1 serializes it (`{publicKey, checksum}`) or as a string. */
    address(name: string, required = false): string | undefined {
      const v = value(name, required);
      if (v === undefined) return undefined;
      if (typeof v === 'string') {
        if (!algosdk.isValidAddress(v)) throw invalid(`${name} is not an Algorand address`);
        return v;
      }
      if (typeof v !== 'object' || v === null || !('publicKey' in v)) {
        throw invalid(`${name} is not an Algorand address`);
      }
      const publicKey = bytesOf(v.publicKey, `${name}.publicKey`);
      if (publicKey.length !== 32) throw invalid(`${name}.publicKey must be 32 bytes`);
      const address = new algosdk.Address(publicKey);
      if ('checksum' in v && present(v.checksum)) {
        const checksum = bytesOf(v.checksum, `${name}.checksum`);
        if (Buffer.compare(Buffer.from(checksum), Buffer.from(address.checksum())) !== 0) {
          throw invalid(`${name}.checksum does not match its public key`);
        }
      }
      return address.toString();
    },
  };
}

/**
 * Bytes in any of the JSON forms a Uint8Array or Buffer takes: `{"0": n, "1": n, ...}` (keys exactly
 * 0..n-1), `{type: 'Buffer', data: [...]}` or a plain array; a string is read as base64.
 */
function bytesOf(v: unknown, name: string): Uint8Array {
  let values: unknown[];
  if (typeof v === 'string') {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(v) || v.length % 4 !== 0) throw invalid(`${name} is not base64`);
    return new Uint8Array(Buffer.from(v, 'base64'));
  } else if (Array.isArray(v)) {
    values = v;
  } else if (typeof v === 'object' && v !== null && (v as Fields).type === 'Buffer') {
    values = Array.isArray((v as Fields).data) ? ((v as Fields).data as unknown[]) : [null];
  } else if (typeof v === 'object' && v !== null) {
    const keys = Object.keys(v);
    if (!keys.every((key, i) => key === String(i))) throw invalid(`${name} is not a byte array`);
    values = Object.values(v);
  } else {
    throw invalid(`${name} is not a byte array`);
  }
  if (!values.every((b) => Number.isInteger(b) && (b as number) >= 0 && (b as number) <= 255)) {
    throw invalid(`${name} is not a byte array`);
  }
  return Uint8Array.from(values as number[]);
}

function present(v: unknown): boolean {
  return v !== undefined && v !== null;
}

function invalid(detail: string): InvalidTransactionError {
  return new InvalidTransactionError('ALGO', detail);
}
