import type * as StellarBase from '@stellar/stellar-base';
import { InvalidTransactionError } from '../chains.errors';
import { loadStellarBase, openXlmSecret } from './xlm-keys';

const BASE64 = /^(?:[A-Za-z0-9+/]{4})+(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Signs an XLM pending transaction (docs/tatum-protocol.md §5: base64 XDR of a TransactionEnvelope, as Tatum's
 * TransactionBuilder wrote it; a bare Transaction XDR is accepted too) for the network given by
 * `testnet` (Networks.TESTNET / Networks.PUBLIC passphrase, which the signature covers), with the
 * wallet's secret seed, as tatum-kms does (`transaction.sign(Keypair.fromSecret(secret))`). Returns the
 * base64 envelope XDR with the signature added; signatures already present are kept.
 *
 * InvalidTransactionError when the text is not base64 XDR of a transaction, when it is a fee-bump
 * transaction, or when its source account (muxed or not) is not the wallet's; InvalidPrivateKeyError
 * for a bad secret.
 */
export async function signXlmTransaction(
  serializedTransaction: string,
  secret: string,
  testnet: boolean,
): Promise<string> {
  const transaction = await parseXlmTransaction(serializedTransaction, testnet);
  const keypair = await openXlmSecret(secret);
  const stellar = await loadStellarBase();
  if (stellar.extractBaseAddress(transaction.source) !== keypair.publicKey()) {
    throw invalid('its source account is not the wallet');
  }
  transaction.sign(keypair);
  return transaction.toEnvelope().toXDR('base64');
}

/**
 * The one parse of an XLM serializedTransaction, shared by signing and describing: the Transaction
 * (not fee-bump) that gets signed, for the network's passphrase. InvalidTransactionError otherwise.
 */
export async function parseXlmTransaction(
  serializedTransaction: string,
  testnet: boolean,
): Promise<StellarBase.Transaction> {
  const stellar = await loadStellarBase();
  const passphrase = testnet ? stellar.Networks.TESTNET : stellar.Networks.PUBLIC;
  return parseTransaction(stellar, serializedTransaction, passphrase);
}

function parseTransaction(
  stellar: typeof StellarBase,
  text: string,
  passphrase: string,
): StellarBase.Transaction {
  const base64 = typeof text === 'string' ? text.trim() : '';
  if (!BASE64.test(base64)) throw invalid('it is not base64 XDR');
  let parsed: StellarBase.Transaction | StellarBase.FeeBumpTransaction;
  try {
    parsed = stellar.TransactionBuilder.fromXDR(base64, passphrase);
  } catch {
    parsed = fromBareTransaction(stellar, base64, passphrase);
  }
  if (!(parsed instanceof stellar.Transaction)) throw invalid('fee-bump transactions are not signed');
  return parsed;
}

/** A bare `Transaction` XDR (no envelope) wrapped in an unsigned v1 envelope. */
function fromBareTransaction(
  stellar: typeof StellarBase,
  base64: string,
  passphrase: string,
): StellarBase.Transaction {
  const { xdr } = stellar;
  try {
    const tx = xdr.Transaction.fromXDR(base64, 'base64');
    const envelope = xdr.TransactionEnvelope.envelopeTypeTx(
      new xdr.TransactionV1Envelope({ tx, signatures: [] }),
    );
    return new stellar.Transaction(envelope, passphrase);
  } catch {
    throw invalid('it is neither a TransactionEnvelope nor a Transaction XDR');
  }
}

function invalid(detail: string): InvalidTransactionError {
  return new InvalidTransactionError('XLM', detail);
}
