import type { Transaction } from 'bitcoinjs-lib';
import type { SignRequest } from '../chain-signer.port';
import { bchSchnorrSign } from './bch-schnorr';
import { PendingTxFields } from './pending-tx-fields';
import { assertPositionalKeys, parseUnsignedRawTransaction } from './raw-transaction';
import { type KeyDecoder, withSigningKeys } from './utxo-keys';
import { p2pkhScript, p2pkhScriptSig } from './utxo-script';

/** SIGHASH_ALL | SIGHASH_FORKID, fork id 0: BIP143-style digest, as Bitcoin Cash requires. */
const SIGHASH_ALL_FORKID = 0x41;
const MAX_BCH_SATOSHIS = 21_000_000 * 100_000_000;

export interface BchSigningContext {
  readonly chain: string;
  readonly decodeKey: KeyDecoder;
}

/**
 * Signs a BCH pending transaction (docs/tatum-protocol.md §5): `"<unsigned tx hex>:<JSON array of input amounts
 * in satoshis>"`. Input i is signed by key i (regular: `keys[i]`; off-chain withdrawal: `inputKeys[i]`,
 * the SDK's signBitcoinCashOffchainKMSTransaction uses the same form) as P2PKH of that key, with
 * SIGHASH_ALL|FORKID and a BCH Schnorr signature. Raw hex without the amounts is rejected: the FORKID
 * digest commits to each input's amount, so it cannot be signed without them.
 */
export async function signBchTransaction(context: BchSigningContext, request: SignRequest): Promise<string> {
  const fields = new PendingTxFields(context.chain);
  const { tx, values } = await parseBchPending(context.chain, request.serializedTransaction);
  const keyTexts = request.withdrawal ? (request.inputKeys ?? []) : request.keys;
  assertPositionalKeys(
    fields,
    keyTexts,
    tx.ins.length,
    request.withdrawal ? 'the withdrawal' : 'the key list (key i signs input i)',
  );
  return withSigningKeys(keyTexts.slice(0, tx.ins.length), context.decodeKey, async (keys) => {
    keys.forEach((key, i) => {
      const sighash = tx.hashForWitnessV0(
        i,
        p2pkhScript(key!.pubKeyHash),
        BigInt(values[i]),
        SIGHASH_ALL_FORKID,
      );
      const signature = Buffer.concat([
        bchSchnorrSign(sighash, key!.privateKey),
        Uint8Array.of(SIGHASH_ALL_FORKID),
      ]);
      tx.setInputScript(i, p2pkhScriptSig(signature, key!.publicKey));
    });
    return tx.toHex();
  });
}

/** The unsigned transaction of a BCH pending transaction and the amount of each input (satoshis). */
export interface BchPending {
  readonly tx: Transaction;
  readonly values: readonly number[];
}

/**
 * The one parse of a BCH `serializedTransaction` (`"<unsigned tx hex>:<JSON array of input amounts>"`),
 * shared by signing and describing. InvalidTransactionError for anything malformed.
 */
export async function parseBchPending(chain: string, serializedTransaction: string): Promise<BchPending> {
  const fields = new PendingTxFields(chain);
  if (typeof serializedTransaction !== 'string') fields.fail('serializedTransaction must be a string');
  const colon = serializedTransaction.indexOf(':');
  if (colon < 0) {
    fields.fail(
      'the input amounts are missing: expected "<unsigned tx hex>:<JSON array of input amounts in satoshis>"',
    );
  }
  const tx = await parseUnsignedRawTransaction(
    fields,
    serializedTransaction.slice(0, colon),
    'the transaction hex',
  );
  const amounts = fields.nonEmptyArray(
    fields.json(serializedTransaction.slice(colon + 1), 'the input amounts'),
    'the input amounts',
  );
  if (amounts.length !== tx.ins.length)
    fields.fail(`${amounts.length} input amounts for ${tx.ins.length} inputs`);
  const values = amounts.map((amount, i) => {
    const value = fields.satoshis(amount, `input amount ${i}`);
    if (value > MAX_BCH_SATOSHIS) fields.fail(`input amount ${i} exceeds 21 million BCH`);
    return value;
  });
  return { tx, values };
}
