import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { InvalidTransactionError } from '../chains.errors';
import { parseTronAddress } from './tron-keys';
import {
  decodeProtobuf,
  type ProtoMessage,
  ProtobufError,
  protoBytes,
  protoMessages,
  protoVarint,
} from './tron-protobuf';
import {
  ANY_FIELDS,
  CONTRACT_FIELDS,
  CONTRACT_SCHEMAS,
  type FieldKind,
  type FieldTable,
  RAW_CONTRACT_FIELD,
  RAW_FIELDS,
  TYPE_URL_PREFIX,
} from './tron-schema';

/** A TronWeb transaction whose txID and JSON were checked against the bytes that get signed. */
export interface TronPendingTx {
  /** The parsed JSON, returned with the signature added. */
  readonly json: Readonly<Record<string, unknown>>;
  /** sha256(raw_data_hex): what is signed. */
  readonly txId: Uint8Array;
  /** Owner (21 bytes) of the first contract, the account whose key must sign (as TronWeb checks). */
  readonly owner: Uint8Array;
  /**
   * The contracts as signed: each one's type and, for the types of CONTRACT_SCHEMAS, its parameter
   * decoded from raw_data_hex (read it with the schema's field numbers).
   */
  readonly contracts: readonly TronContract[];
}

/** One contract of a TRON transaction (see TronPendingTx.contracts). */
export interface TronContract {
  readonly type: string;
  /** The decoded parameter, for the contract types of CONTRACT_SCHEMAS only. */
  readonly value?: ProtoMessage;
}

const HEX = /^(?:[0-9a-f]{2})+$/i;
const TX_ID = /^[0-9a-f]{64}$/i;
const RAW_FIELD_NUMBERS = new Set([...Object.values(RAW_FIELDS).map(([n]) => n), RAW_CONTRACT_FIELD]);
const CONTRACT_FIELD_NUMBERS = new Set<number>(Object.values(CONTRACT_FIELDS));

type Fail = (detail: string) => never;
const fail: Fail = (detail) => {
  throw new InvalidTransactionError('TRON', detail);
};

/**
 * Parses a TRON serializedTransaction (docs/tatum-protocol.md §5: JSON of a TronWeb transaction) and checks it
 * fails closed: txID must be sha256(raw_data_hex); raw_data_hex must be a Transaction.raw whose
 * header fields, contract types and Permission_ids agree with `raw_data`, and, for TransferContract,
 * TransferAssetContract and TriggerSmartContract, every field of the contract too. So the JSON that
 * the approval server reads is what gets signed. Other contract types are signed as the hex says;
 * their owner comes from `raw_data` (as TronWeb reads it). InvalidTransactionError otherwise.
 */
export function parseTronPendingTx(text: unknown): TronPendingTx {
  const json = parseJsonObject(text);
  const { txID, raw_data_hex: rawHex, raw_data: rawData } = json;
  if (typeof txID !== 'string' || !TX_ID.test(txID)) fail('txID is not 64 hex digits');
  if (typeof rawHex !== 'string' || !HEX.test(rawHex)) fail('raw_data_hex is not hex');
  if (!isObject(rawData)) fail('raw_data is not an object');
  const txId = sha256(hexToBytes(rawHex));
  if (bytesToHex(txId) !== txID.toLowerCase()) fail('txID is not the SHA-256 of raw_data_hex');
  if (json.signature !== undefined && !isStringArray(json.signature)) {
    fail('signature is not an array of hex strings');
  }

  const { owner, contracts } = decoding(() => {
    const raw = decodeProtobuf(hexToBytes(rawHex));
    return checkRaw(rawData, raw, protoMessages(raw, RAW_CONTRACT_FIELD));
  });
  return { json, txId, owner, contracts };
}

/** Checks raw_data against the decoded Transaction.raw; returns the first contract's owner and the contracts. */
function checkRaw(
  rawData: Record<string, unknown>,
  raw: ProtoMessage,
  contracts: ProtoMessage[],
): { owner: Uint8Array; contracts: TronContract[] } {
  for (const field of raw.keys()) {
    if (!RAW_FIELD_NUMBERS.has(field)) fail(`raw_data_hex has field ${field}, which raw_data cannot show`);
  }
  compareFields(rawData, raw, RAW_FIELDS, 'raw_data');
  const jsonContracts = rawData.contract;
  if (!Array.isArray(jsonContracts) || jsonContracts.length === 0) fail('raw_data.contract is empty');
  if (jsonContracts.length !== contracts.length) {
    fail('raw_data.contract and raw_data_hex hold different numbers of contracts');
  }
  const checked = contracts.map((contract, i) => checkContract(jsonContracts[i], contract, i));
  return {
    owner: checked[0].owner ?? fail('raw_data.contract[0] has no owner_address'),
    contracts: checked.map(({ type, value }) => ({ type, value })),
  };
}

/** Checks one contract; returns its type, its owner's address bytes when known and its decoded parameter. */
function checkContract(
  json: unknown,
  contract: ProtoMessage,
  i: number,
): { type: string; owner?: Uint8Array; value?: ProtoMessage } {
  const path = `raw_data.contract[${i}]`;
  for (const field of contract.keys()) {
    if (!CONTRACT_FIELD_NUMBERS.has(field)) fail(`${path} has field ${field} in raw_data_hex`);
  }
  if (!isObject(json) || !isObject(json.parameter)) fail(`${path}.parameter is not an object`);
  const { type } = json;
  const parameter = json.parameter;
  const any = decodeProtobuf(protoBytes(contract, CONTRACT_FIELDS.parameter) ?? new Uint8Array());
  const typeUrl = new TextDecoder().decode(protoBytes(any, ANY_FIELDS.typeUrl) ?? new Uint8Array());
  if (typeof type !== 'string' || `${TYPE_URL_PREFIX}${type}` !== typeUrl) {
    fail(`${path}.type does not match the contract in raw_data_hex`);
  }
  if (parameter.type_url !== undefined && parameter.type_url !== typeUrl) {
    fail(`${path}.parameter.type_url does not match raw_data_hex`);
  }
  compareInt64(
    json.Permission_id,
    protoVarint(contract, CONTRACT_FIELDS.permissionId),
    `${path}.Permission_id`,
  );
  if (!isObject(parameter.value)) fail(`${path}.parameter.value is not an object`);

  const schema = Object.hasOwn(CONTRACT_SCHEMAS, type) ? CONTRACT_SCHEMAS[type] : undefined;
  if (schema === undefined) return { type, owner: parseTronAddress(parameter.value.owner_address) };
  if (protoVarint(contract, CONTRACT_FIELDS.type) !== BigInt(schema.type)) {
    fail(`${path}.type does not match the contract type in raw_data_hex`);
  }
  const value = decodeProtobuf(protoBytes(any, ANY_FIELDS.value) ?? new Uint8Array());
  const known = new Set(Object.values(schema.fields).map(([n]) => n));
  for (const field of value.keys()) {
    if (!known.has(field)) fail(`${path} has field ${field} in raw_data_hex that raw_data cannot show`);
  }
  compareFields(parameter.value, value, schema.fields, `${path}.parameter.value`);
  return { type, owner: protoBytes(value, schema.fields.owner_address[0]), value };
}

/** Every field of `table` must agree between JSON and protobuf (absent = the protobuf default). */
function compareFields(
  json: Record<string, unknown>,
  message: ProtoMessage,
  table: FieldTable,
  path: string,
) {
  for (const [name, [field, kind]] of Object.entries(table)) {
    compareField(kind, json[name], message, field, `${path}.${name}`);
  }
}

function compareField(kind: FieldKind, json: unknown, message: ProtoMessage, field: number, path: string) {
  if (kind === 'int64') return compareInt64(json, protoVarint(message, field), path);
  const bytes = protoBytes(message, field) ?? new Uint8Array();
  if (json === undefined || json === null || json === '') {
    if (bytes.length > 0) fail(`${path} is missing but raw_data_hex sets it`);
    return;
  }
  if (typeof json !== 'string') return fail(`${path} is not a string`);
  const matches =
    kind === 'address'
      ? sameBytes(parseTronAddress(json), bytes)
      : (HEX.test(json) && json.toLowerCase() === bytesToHex(bytes)) || sameBytes(utf8ToBytes(json), bytes);
  if (!matches) fail(`${path} does not match raw_data_hex`);
}

/** A JSON number (a safe integer) against a protobuf int64 varint; absent on either side means 0. */
function compareInt64(json: unknown, varint: bigint | undefined, path: string) {
  const decoded = BigInt.asIntN(64, varint ?? 0n);
  if (json === undefined || json === null) {
    if (decoded !== 0n) fail(`${path} is missing but raw_data_hex sets it`);
    return;
  }
  if (typeof json !== 'number' || !Number.isSafeInteger(json)) {
    fail(`${path} is not an integer a JSON number can hold exactly`);
  }
  if (BigInt(json) !== decoded) fail(`${path} does not match raw_data_hex`);
}

/** Runs the checks; protobuf that does not decode (or a field of the wrong wire type) is invalid. */
function decoding<T>(check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof ProtobufError) fail('raw_data_hex is not a valid protobuf Transaction.raw');
    throw error;
  }
}

function parseJsonObject(text: unknown): Record<string, unknown> {
  if (typeof text !== 'string') fail('serializedTransaction is not a string');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    fail('serializedTransaction is not valid JSON');
  }
  if (!isObject(json)) fail('serializedTransaction is not a JSON object');
  return json;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string' && HEX.test(item));
}

function sameBytes(a: Uint8Array | undefined, b: Uint8Array): boolean {
  return a !== undefined && a.length === b.length && a.every((byte, i) => byte === b[i]);
}
