import type * as Cardano from '@emurgo/cardano-serialization-lib-nodejs';
import { InvalidTransactionError } from '../chains.errors';
import { adaNetworkId, type CardanoLib } from './ada-keys';

/** At most this many operations (a Cardano transaction is at most 16 KiB anyway). */
const MAX_OPERATIONS = 500;

/** An input of an ADA transfer: the UTXO `txHash:index`, its address and amount. */
export interface AdaInput {
  coin: string;
  address: string;
  lovelace: bigint;
  /** Hex blake2b-224 hash of the key that must sign for it (its address's payment key). */
  paymentKeyHash: string;
}

export interface AdaOutput {
  address: string;
  /** Hex of the address bytes, to compare with the outputs of a transaction body. */
  addressBytes: string;
  lovelace: bigint;
}

/**
 * An ADA pending transaction. Tatum's Cardano SDK v2 (`@tatumio/cardano`, cardano.sdk.tx.ts), which
 * tatum-kms 8 signs with, writes `serializedTransaction` as the JSON array of the Rosetta operations
 * of a transfer: inputs `{type: "input", account: {address}, amount: {value: "-<lovelace>", currency:
 * {symbol: "ADA", decimals: 6}}, coin_change: {coin_identifier: {identifier: "<txHash>:<index>"}}}`,
 * then outputs `{type: "output", account: {address}, amount: {value: "<lovelace>", ...}}` (the change
 * output last). The fee is what the inputs hold beyond the outputs. `operations` is the array as
 * received, handed to the Rosetta node unchanged.
 */
export interface AdaTransfer {
  operations: unknown[];
  inputs: AdaInput[];
  outputs: AdaOutput[];
  fee: bigint;
}

/**
 * Reads an ADA `serializedTransaction` (see AdaTransfer). Only plain ADA transfers are accepted: any
 * other operation type, token bundles or metadata, a duplicate UTXO, an input whose address is not
 * paid to a key (Byron, script), an output address of the other network or of a kind that cannot
 * receive (reward), or outputs above the inputs throw InvalidTransactionError.
 */
export function parseAdaTransfer(cardano: CardanoLib, text: string, testnet: boolean): AdaTransfer {
  let operations: unknown;
  try {
    operations = JSON.parse(text);
  } catch {
    throw invalid('not JSON (expected the JSON array of Rosetta operations)');
  }
  if (!Array.isArray(operations) || operations.length === 0 || operations.length > MAX_OPERATIONS) {
    throw invalid(`expected a JSON array of 1 to ${MAX_OPERATIONS} Rosetta operations`);
  }
  const inputs: AdaInput[] = [];
  const outputs: AdaOutput[] = [];
  operations.forEach((operation: unknown, i) => {
    const { type, address, value, coin } = operationFields(operation, i);
    if (type === 'input') {
      if (coin === undefined || value >= 0n)
        throw invalid(`input ${i} needs a negative amount and a coin identifier`);
      if (inputs.some((input) => input.coin === coin)) throw invalid(`UTXO ${coin} is spent twice`);
      inputs.push({
        coin,
        address,
        lovelace: -value,
        paymentKeyHash: inputKeyHash(cardano, address, testnet, i),
      });
    } else {
      if (coin !== undefined || value <= 0n)
        throw invalid(`output ${i} needs a positive amount and no coin change`);
      outputs.push({
        address,
        addressBytes: outputAddressBytes(cardano, address, testnet, i),
        lovelace: value,
      });
    }
  });
  if (inputs.length === 0 || outputs.length === 0)
    throw invalid('it needs at least one input and one output');
  const fee = sum(inputs) - sum(outputs);
  if (fee < 0n) throw invalid('its outputs spend more than its inputs hold');
  return { operations, inputs, outputs, fee };
}

function operationFields(
  operation: unknown,
  i: number,
): { type: 'input' | 'output'; address: string; value: bigint; coin?: string } {
  if (!isRecord(operation)) throw invalid(`operation ${i} is not an object`);
  const { type, account, amount, coin_change: coinChange, metadata } = operation;
  if (type !== 'input' && type !== 'output') {
    throw invalid(`operation ${i} is not an input or output (only ADA transfers are signed)`);
  }
  if (metadata !== undefined && !(isRecord(metadata) && Object.keys(metadata).length === 0)) {
    throw invalid(`operation ${i} has metadata (tokens and staking are not signed)`);
  }
  const address = isRecord(account) ? account.address : undefined;
  if (typeof address !== 'string' || address.length === 0 || address.length > 256) {
    throw invalid(`operation ${i} has no account address`);
  }
  const currency = isRecord(amount) && isRecord(amount.currency) ? amount.currency : undefined;
  const value = isRecord(amount) ? amount.value : undefined;
  if (
    currency?.symbol !== 'ADA' ||
    currency.decimals !== 6 ||
    typeof value !== 'string' ||
    !/^-?\d{1,20}$/.test(value)
  ) {
    throw invalid(`operation ${i} needs an amount in lovelace of currency ADA (6 decimals)`);
  }
  if (coinChange === undefined) return { type, address, value: BigInt(value) };
  const coin =
    isRecord(coinChange) && isRecord(coinChange.coin_identifier) ? coinChange.coin_identifier.identifier : '';
  if (
    typeof coin !== 'string' ||
    !/^[0-9a-fA-F]{64}:\d{1,10}$/.test(coin) ||
    Number(coin.slice(65)) > 0xffffffff
  ) {
    throw invalid(`operation ${i} has a malformed coin identifier (expected <txHash>:<index>)`);
  }
  return { type, address, value: BigInt(value), coin: coin.toLowerCase() };
}

/** The payment key hash of an input address; Byron, reward and script addresses cannot be signed here. */
function inputKeyHash(cardano: CardanoLib, address: string, testnet: boolean, i: number): string {
  const parsed = shelleyAddress(cardano, address);
  const { Base, Pointer, Enterprise } = cardano.AddressKind;
  const keyHash =
    parsed !== undefined && [Base, Pointer, Enterprise].includes(parsed.kind())
      ? parsed.payment_cred()?.to_keyhash()
      : undefined;
  if (parsed === undefined || keyHash === undefined) {
    throw invalid(`input ${i} is not at a Shelley address paid to a key`);
  }
  if (parsed.network_id() !== adaNetworkId(testnet)) throw wrongNetwork(`input ${i}`, testnet);
  return keyHash.to_hex();
}

function outputAddressBytes(cardano: CardanoLib, address: string, testnet: boolean, i: number): string {
  let parsed: Cardano.Address | undefined = shelleyAddress(cardano, address);
  if (parsed === undefined && cardano.ByronAddress.is_valid(address)) {
    parsed = cardano.ByronAddress.from_base58(address).to_address();
  }
  if (parsed === undefined) throw invalid(`output ${i} has a malformed address`);
  const { Base, Pointer, Enterprise, Byron } = cardano.AddressKind;
  if (![Base, Pointer, Enterprise, Byron].includes(parsed.kind())) {
    throw invalid(`output ${i} pays an address that cannot hold coins`);
  }
  if (parsed.network_id() !== adaNetworkId(testnet)) throw wrongNetwork(`output ${i}`, testnet);
  return parsed.to_hex();
}

function shelleyAddress(cardano: CardanoLib, address: string): Cardano.Address | undefined {
  try {
    return cardano.Address.from_bech32(address);
  } catch {
    return undefined;
  }
}

function sum(items: ReadonlyArray<{ lovelace: bigint }>): bigint {
  return items.reduce((total, item) => total + item.lovelace, 0n);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function wrongNetwork(what: string, testnet: boolean): InvalidTransactionError {
  return invalid(`${what} has an address of ${testnet ? 'the mainnet' : 'a test network'}`);
}

function invalid(detail: string): InvalidTransactionError {
  return new InvalidTransactionError('ADA', detail);
}
