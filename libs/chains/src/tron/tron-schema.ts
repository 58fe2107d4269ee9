/**
 * Protobuf field numbers of TRON's `Transaction.raw` and of the contracts Tatum builds (TRX, TRC-10
 * and TRC-20 transfers), so that the JSON `raw_data` shown to the approval server can be checked
 * against the signed `raw_data_hex` field by field. Source: java-tron protocol/core/Tron.proto and
 * protocol/core/contract/*.proto.
 */
export type FieldKind = 'address' | 'int64' | 'bytes';
export type FieldTable = Readonly<Record<string, readonly [number, FieldKind]>>;

/** Scalar fields of Transaction.raw that TronWeb shows in `raw_data`. */
export const RAW_FIELDS: FieldTable = {
  ref_block_bytes: [1, 'bytes'],
  ref_block_num: [3, 'int64'],
  ref_block_hash: [4, 'bytes'],
  expiration: [8, 'int64'],
  data: [10, 'bytes'],
  scripts: [12, 'bytes'],
  timestamp: [14, 'int64'],
  fee_limit: [18, 'int64'],
};
/** Transaction.raw `repeated Contract contract = 11`. */
export const RAW_CONTRACT_FIELD = 11;

/** Fields of Transaction.Contract: type (enum), parameter (Any), Permission_id. */
export const CONTRACT_FIELDS = { type: 1, parameter: 2, permissionId: 5 } as const;
/** Fields of google.protobuf.Any. */
export const ANY_FIELDS = { typeUrl: 1, value: 2 } as const;

export interface ContractSchema {
  /** Transaction.Contract.ContractType */
  readonly type: number;
  readonly fields: FieldTable;
}

export const CONTRACT_SCHEMAS: Readonly<Record<string, ContractSchema>> = {
  TransferContract: {
    type: 1,
    fields: { owner_address: [1, 'address'], to_address: [2, 'address'], amount: [3, 'int64'] },
  },
  TransferAssetContract: {
    type: 2,
    fields: {
      asset_name: [1, 'bytes'],
      owner_address: [2, 'address'],
      to_address: [3, 'address'],
      amount: [4, 'int64'],
    },
  },
  TriggerSmartContract: {
    type: 31,
    fields: {
      owner_address: [1, 'address'],
      contract_address: [2, 'address'],
      call_value: [3, 'int64'],
      data: [4, 'bytes'],
      call_token_value: [5, 'int64'],
      token_id: [6, 'int64'],
    },
  },
};

/** `type_url` of a contract parameter: this prefix + the contract type name. */
export const TYPE_URL_PREFIX = 'type.googleapis.com/protocol.';
