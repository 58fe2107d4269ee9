import { secp256k1 } from '@noble/curves/secp256k1.js';
import { InvalidTransactionError } from '../chains.errors';
import {
  CadenceArgumentError,
  type CadenceValue,
  cadenceAddress,
  cadenceArgument,
  fixedPoint,
  type TatumFlowArg,
} from './flow-cadence-args';
import {
  ADD_PUBLIC_KEY_TEMPLATE,
  CREATE_ACCOUNT_TEMPLATE,
  type FlowToken,
  transferTemplate,
} from './flow-templates';

/** Tatum's FlowTxType (SDK 1.37.x `FlowTxType`, @tatumio/flow 2.x): the `type` of a pending FLOW transaction. */
export enum FlowTxType {
  CREATE_ACCOUNT = 0,
  ADD_PK_TO_ACCOUNT = 1,
  TRANSFER = 2,
  DEPLOY_NFT = 3,
  MINT_NFT = 4,
  MINT_MULTIPLE_NFT = 5,
  BURN_NFT = 6,
  TRANSFER_NFT = 7,
  CUSTOM_TX = 8,
}

/** A Cadence transaction to build from a Tatum pending FLOW transaction. */
export interface FlowTemplateTransaction {
  readonly type: FlowTxType;
  /** Cadence source. */
  readonly script: string;
  readonly arguments: readonly CadenceValue[];
  /** The single authorizer (16 hex digits): the wallet's account, `body.account`. */
  readonly account: string;
}

/** Tatum's SDK sends every FLOW transaction with this computation limit (`fcl.limit(1000)`). */
export const TATUM_FLOW_GAS_LIMIT = 1000n;

/** Whether parsed JSON is Tatum's `{type: <FlowTxType>, body: {...}}` FLOW format. */
export function isTatumFlowPending(json: unknown): json is { type: unknown; body: unknown } {
  return typeof json === 'object' && json !== null && 'type' in json && 'body' in json;
}

/**
 * The transaction Tatum's SDK would build for `{type, body}`, in Cadence 1.0 (see flow-templates).
 * TRANSFER `{account, to, amount, currency: 'FLOW' | 'FUSD'}`; CREATE_ACCOUNT `{account, publicKey}`;
 * ADD_PK_TO_ACCOUNT `{account, publicKey, weight?}` (weight 0 by default, as Tatum's SDK called it);
 * CUSTOM_TX `{account, transaction: <Cadence>, args: [{type, value, subType?}]}`. The NFT types target
 * Tatum's TatumMultiNFT contract through pre-Cadence-1.0 templates and are rejected, as is anything
 * else. InvalidTransactionError names the field; no value is quoted.
 */
export function parseTatumFlowPending(
  json: { type: unknown; body: unknown },
  testnet: boolean,
): FlowTemplateTransaction {
  const { type } = json;
  if (typeof json.body !== 'object' || json.body === null || Array.isArray(json.body)) {
    throw invalid('`body` is not a JSON object');
  }
  const body = json.body as Record<string, unknown>;
  const account = address(body.account, '`body.account`');
  switch (type) {
    case FlowTxType.TRANSFER: {
      const token = body.currency;
      if (token !== 'FLOW' && token !== 'FUSD') throw invalid('`body.currency` is neither FLOW nor FUSD');
      return {
        type,
        script: transferTemplate(token as FlowToken, testnet),
        arguments: [
          { type: 'UFix64', value: amount(body.amount) },
          { type: 'Address', value: `0x${address(body.to, '`body.to`')}` },
        ],
        account,
      };
    }
    case FlowTxType.CREATE_ACCOUNT:
      return {
        type,
        script: CREATE_ACCOUNT_TEMPLATE,
        arguments: [{ type: 'String', value: publicKey(body.publicKey) }],
        account,
      };
    case FlowTxType.ADD_PK_TO_ACCOUNT:
      return {
        type,
        script: ADD_PUBLIC_KEY_TEMPLATE,
        arguments: [
          { type: 'String', value: publicKey(body.publicKey) },
          { type: 'UFix64', value: weight(body.weight) },
        ],
        account,
      };
    case FlowTxType.CUSTOM_TX:
      return { type, script: cadence(body.transaction), arguments: customArguments(body.args), account };
    case FlowTxType.DEPLOY_NFT:
    case FlowTxType.MINT_NFT:
    case FlowTxType.MINT_MULTIPLE_NFT:
    case FlowTxType.BURN_NFT:
    case FlowTxType.TRANSFER_NFT:
      throw invalid(
        `type ${type} (${FlowTxType[type]}) is a TatumMultiNFT operation, whose templates were written for ` +
          'Cadence before 1.0, which the Flow network no longer runs; not supported',
      );
    default:
      throw invalid('`type` is not a known FLOW transaction type (0 to 8)');
  }
}

function amount(value: unknown): string {
  let text: string;
  try {
    text = fixedPoint('UFix64', typeof value === 'string' ? value.replace(/^\+/, '') : undefined);
  } catch {
    throw invalid('`body.amount` is not a positive decimal with at most 8 fractional digits');
  }
  if (/^0\.0+$/.test(text)) throw invalid('`body.amount` is zero');
  return text;
}

/** 128 hex digits of an uncompressed secp256k1 point (a leading 04 or 0x is dropped). */
function publicKey(value: unknown): string {
  const hex = typeof value === 'string' ? value.replace(/^0x/i, '').toLowerCase() : '';
  const digits = hex.length === 130 && hex.startsWith('04') ? hex.slice(2) : hex;
  let valid = /^[0-9a-f]{128}$/.test(digits);
  if (valid) {
    try {
      secp256k1.Point.fromHex(`04${digits}`).assertValidity();
    } catch {
      valid = false;
    }
  }
  if (!valid) throw invalid('`body.publicKey` is not an uncompressed secp256k1 public key (128 hex digits)');
  return digits;
}

function weight(value: unknown): string {
  if (value === undefined || value === null) return '0.00000000';
  let text: string | undefined;
  try {
    text = fixedPoint('UFix64', typeof value === 'number' ? value : String(value));
  } catch {
    text = undefined;
  }
  if (text === undefined || Number(text) > 1000)
    throw invalid('`body.weight` is not a number from 0 to 1000');
  return text;
}

function cadence(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '')
    throw invalid('`body.transaction` is not Cadence code');
  return value;
}

function customArguments(value: unknown): CadenceValue[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw invalid('`body.args` is not an array');
  return value.map((arg, i) => {
    if (typeof arg !== 'object' || arg === null) throw invalid(`\`body.args[${i}]\` is not an object`);
    try {
      return cadenceArgument(arg as TatumFlowArg);
    } catch (error) {
      if (error instanceof CadenceArgumentError) throw invalid(`\`body.args[${i}]\`: ${error.message}`);
      throw error;
    }
  });
}

function address(value: unknown, field: string): string {
  try {
    return cadenceAddress(value);
  } catch {
    throw invalid(`${field} is not a Flow address (16 hex digits)`);
  }
}

function invalid(detail: string): InvalidTransactionError {
  return new InvalidTransactionError('FLOW', detail);
}
