import { bytesToHex } from '@noble/hashes/utils.js';
import type { DescribeRequest, TransactionSummary } from '../chain-signer.port';
import { describeCall } from '../evm/evm.describe';
import { amount } from '../transaction-summary';
import { encodeTronAddress } from './tron-keys';
import { type TronContract, parseTronPendingTx } from './tron-pending-tx';
import { protoBytes, protoVarint } from './tron-protobuf';
import { CONTRACT_SCHEMAS } from './tron-schema';

/** sun: 10^-6 TRX. */
const TRX_DECIMALS = 6;

/**
 * What a TRON pending transaction signs, from parseTronPendingTx (the parse signTronTransaction
 * signs from), read from the contracts as decoded from raw_data_hex. TransferContract: TRX to
 * `to_address`; TransferAssetContract: a TRC-10 token (its id as the asset); TriggerSmartContract: a
 * TRC-20 `transfer`, `transferFrom` or `approve` decoded from its data, any other data a contract call
 * (with the TRX it sends). Other contract types are `unknown`. The fee is `fee_limit` (the most a
 * contract call may burn) when set; bandwidth is not in the payload.
 */
export async function describeTronTransaction(request: DescribeRequest): Promise<TransactionSummary> {
  const pending = parseTronPendingTx(request.serializedTransaction);
  const summaries = pending.contracts.map(describeContract);
  const summary: TransactionSummary =
    summaries.length === 1
      ? summaries[0]
      : {
          chain: 'TRON',
          kind: 'unknown',
          method: pending.contracts.map((c) => c.type).join(','),
          from: [...new Set(summaries.flatMap((s) => s.from))],
          to: summaries.flatMap((s) => s.to),
          amounts: summaries.flatMap((s) => s.amounts),
          notes: ['several contracts in one transaction'],
        };
  const owner = encodeTronAddress(pending.owner);
  if (!summary.from.includes(owner)) summary.from.unshift(owner);
  const feeLimit = (pending.json.raw_data as { fee_limit?: unknown }).fee_limit;
  if (typeof feeLimit === 'number' && feeLimit > 0)
    summary.fee = amount('TRON', BigInt(feeLimit), TRX_DECIMALS);
  return summary;
}

function describeContract({ type, value }: TronContract): TransactionSummary {
  const base = { chain: 'TRON', from: [] as string[], to: [] as string[] };
  if (value === undefined) {
    return { ...base, kind: 'unknown', method: type, amounts: [], notes: [`a ${type}: not decoded`] };
  }
  const fields = CONTRACT_SCHEMAS[type].fields;
  const address = (name: string) => {
    const bytes = protoBytes(value, fields[name][0]);
    return bytes === undefined ? undefined : encodeTronAddress(bytes);
  };
  const int = (name: string) => BigInt.asIntN(64, protoVarint(value, fields[name][0]) ?? 0n);
  const owner = address('owner_address');
  const from = owner === undefined ? [] : [owner];
  switch (type) {
    case 'TransferContract':
      return {
        ...base,
        kind: 'transfer',
        method: type,
        from,
        to: recipient(address('to_address')),
        amounts: [amount('TRON', int('amount'), TRX_DECIMALS)],
      };
    case 'TransferAssetContract': {
      const token = new TextDecoder().decode(protoBytes(value, fields.asset_name[0]) ?? new Uint8Array());
      return {
        ...base,
        kind: 'token-transfer',
        method: type,
        contract: token,
        from,
        to: recipient(address('to_address')),
        amounts: [amount(token, int('amount'))],
        notes: ['a TRC-10 token: its decimals are on chain'],
      };
    }
    default: {
      // TriggerSmartContract: ABI calldata, addresses as 20 bytes (TRON adds the 0x41 prefix)
      const data = protoBytes(value, fields.data[0]);
      const summary = describeCall({
        chain: 'TRON',
        nativeDecimals: TRX_DECIMALS,
        to: address('contract_address'),
        value: int('call_value'),
        data: data === undefined || data.length === 0 ? undefined : bytesToHex(data),
        address: (hex40) => encodeTronAddress(Uint8Array.from(Buffer.from(`41${hex40}`, 'hex'))),
      });
      if (int('call_token_value') > 0n) {
        summary.amounts.push(amount(String(int('token_id')), int('call_token_value')));
      }
      summary.from = [...from, ...summary.from.filter((a) => !from.includes(a))];
      return summary;
    }
  }
}

function recipient(address: string | undefined): string[] {
  return address === undefined ? [] : [address];
}
