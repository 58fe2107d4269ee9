import type * as SolanaWeb3 from '@solana/web3.js';
import { base58 } from '@scure/base';
import { InvalidPrivateKeyError, InvalidTransactionError } from '../chains.errors';
import { lazy } from '../lazy';
import { parseSolanaSecretKey } from './solana-keys';

const web3 = lazy(() => import('@solana/web3.js'));

/** Largest wire transaction a Solana node accepts (web3.js PACKET_DATA_SIZE). */
const MAX_WIRE_BYTES = 1232;

/** A pending SOL transaction checked against its keys, to be signed once a fresh blockhash is known. */
export interface SolanaDraft {
  /**
   * Signs the message with `blockhash` in place of the one Tatum wrote (nothing else changes) by every
   * wallet key and mintPK. Returns the wire transaction and its id: the fee payer's signature, base58.
   */
  sign(blockhash: string): { wire: Buffer; signature: string };
}

/**
 * Reads a SOL `serializedTransaction` (JSON `{txData: <message hex>, mintPK?}`) and pairs it with its
 * keys: every resolved wallet key (`keys`: the wallets the pending transaction names, e.g. the sender
 * and a separate fee payer, `feePayerSignatureId`) and the optional mintPK, as Tatum's SDK signs with
 * all of them. Keys are 64-byte secret keys, base58 or 128 hex digits. Every signer the message
 * requires must be one of them and each of them must be required, else InvalidTransactionError naming
 * the public key (a key the message does not name would make the SDK fail too). Loads
 * @solana/web3.js on first use. Throws InvalidTransactionError for bad JSON, hex, message or mintPK,
 * InvalidPrivateKeyError for a bad wallet key; no message quotes a secret.
 */
export async function draftSolanaTransaction(
  serializedTransaction: string,
  keys: readonly string[],
): Promise<SolanaDraft> {
  const payload = await parseSolanaPending(serializedTransaction);
  const { Keypair, Message, Transaction } = await web3();
  const { message } = payload;
  if (keys.length === 0) throw invalid('no wallet key was resolved for it');
  const wallets = distinct(keys.map((key) => keypairOf(Keypair, parseSolanaSecretKey(key))));
  const mint = payload.mintPK === undefined ? undefined : keypairOf(Keypair, parseMintKey(payload.mintPK));
  checkSigners(message, wallets, mint);
  const signers = distinct(mint ? [...wallets, mint] : wallets);

  return {
    sign(blockhash: string) {
      const fresh = new Message({
        header: message.header,
        accountKeys: message.accountKeys,
        recentBlockhash: blockhash,
        instructions: message.instructions,
      });
      // populate() keeps the message as is (account order included); partialSign() signs exactly it.
      const transaction = Transaction.populate(fresh);
      transaction.partialSign(...signers);
      const wire = transaction.serialize();
      return { wire, signature: base58.encode(transaction.signature!) };
    },
  };
}

/**
 * The one parse of a SOL serializedTransaction, shared by signing and describing: the legacy message
 * that gets signed (with a fresh blockhash in place of Tatum's, nothing else changed) and the optional
 * mintPK, not yet checked as a key. InvalidTransactionError otherwise.
 */
export async function parseSolanaPending(
  serializedTransaction: string,
): Promise<{ message: SolanaWeb3.Message; mintPK?: string }> {
  const payload = parsePayload(serializedTransaction);
  const { Message, Transaction } = await web3();
  return { message: parseMessage(Message, Transaction, payload.message), mintPK: payload.mintPK };
}

function parsePayload(text: string): { message: Uint8Array; mintPK?: string } {
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch {
    throw invalid('serializedTransaction is not JSON');
  }
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    throw invalid('serializedTransaction is not a JSON object');
  }
  const { txData, mintPK } = payload as { txData?: unknown; mintPK?: unknown };
  if (typeof txData !== 'string' || !/^(?:[0-9a-fA-F]{2})+$/.test(txData)) {
    throw invalid('txData is not the hex of a serialized message');
  }
  if (mintPK !== undefined && mintPK !== null && typeof mintPK !== 'string') {
    throw invalid('mintPK is not a 64-byte secret key (base58 or hex)');
  }
  return { message: Buffer.from(txData, 'hex'), mintPK: mintPK ?? undefined };
}

/** A legacy message whose bytes are exactly its own serialization (no trailing or missing bytes). */
function parseMessage(
  Message: typeof SolanaWeb3.Message,
  Transaction: typeof SolanaWeb3.Transaction,
  bytes: Uint8Array,
): SolanaWeb3.Message {
  let message: SolanaWeb3.Message;
  try {
    message = Message.from(Buffer.from(bytes));
    if (!Buffer.from(bytes).equals(message.serialize())) throw new Error('not canonical');
    Transaction.populate(message); // checks that every instruction names existing accounts
  } catch {
    throw invalid(
      (bytes[0] ?? 0) & 0x80
        ? 'txData is a versioned message; Tatum builds legacy messages'
        : 'txData is not a serialized Solana message',
    );
  }
  const signatures = message.header.numRequiredSignatures;
  if (signatures < 1) throw invalid('the message requires no signature, so it has no fee payer');
  if (1 + 64 * signatures + bytes.length > MAX_WIRE_BYTES) {
    throw invalid(`the signed transaction would exceed ${MAX_WIRE_BYTES} bytes`);
  }
  return message;
}

function parseMintKey(mintPK: string): Uint8Array {
  try {
    return parseSolanaSecretKey(mintPK);
  } catch (error) {
    if (error instanceof InvalidPrivateKeyError)
      throw invalid('mintPK is not a valid 64-byte secret key (base58 or hex)');
    throw error;
  }
}

function keypairOf(Keypair: typeof SolanaWeb3.Keypair, seed: Uint8Array): SolanaWeb3.Keypair {
  try {
    return Keypair.fromSeed(seed);
  } finally {
    seed.fill(0);
  }
}

/** Key pairs with distinct public keys, first occurrence kept (two wallets may hold one key). */
function distinct(pairs: SolanaWeb3.Keypair[]): SolanaWeb3.Keypair[] {
  const seen = new Set<string>();
  return pairs.filter((pair) => {
    const key = pair.publicKey.toBase58();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The signers the message requires and the keys we hold must be the same set. */
function checkSigners(
  message: SolanaWeb3.Message,
  wallets: SolanaWeb3.Keypair[],
  mint: SolanaWeb3.Keypair | undefined,
): void {
  const required = message.accountKeys
    .slice(0, message.header.numRequiredSignatures)
    .map((key) => key.toBase58());
  const walletKeys = wallets.map((signer) => signer.publicKey.toBase58());
  const mintKey = mint?.publicKey.toBase58();
  const held = mintKey === undefined ? walletKeys : [...walletKeys, mintKey];
  const missing = required.filter((key) => !held.includes(key));
  if (missing.length > 0) {
    throw invalid(
      `it needs a signature of ${missing.join(', ')}, which neither the wallet keys nor mintPK provide`,
    );
  }
  for (const wallet of walletKeys) {
    if (!required.includes(wallet))
      throw invalid(`the wallet key (${wallet}) is not a signer of the message`);
  }
  if (mintKey !== undefined && !required.includes(mintKey))
    throw invalid(`mintPK (${mintKey}) is not a signer of the message`);
}

function invalid(detail: string): InvalidTransactionError {
  return new InvalidTransactionError('SOL', detail);
}
