import { sdkAliasTarget, type ChainSigner } from '@kms/chains';
import { walletKind, type WalletEntry } from '@kms/storage';
import type { PendingTransaction } from '@kms/tatum';
import { KeyResolutionError } from './signing.errors';

/** Looks a wallet up by signatureId; undefined when the store has no such wallet. */
export type WalletLookup = (id: string) => Promise<WalletEntry | undefined>;

export interface ResolvedKeys {
  /** Deduplicated keys, in order of appearance (account chains sign with the first). */
  keys: string[];
  /** Off-chain UTXO withdrawals: the key of input i (undefined where vIn is "-1"). */
  inputKeys?: Array<string | undefined>;
}

/**
 * Resolves the private keys of a pending transaction (docs/tatum-protocol.md §4):
 * - each `{id, index}` of `signatures` gives wallet `id`'s key at `index` (a key wallet: its key);
 * - each id of `hashes` gives a key wallet's key, or a mnemonic wallet's key at the transaction's
 *   `index` when that is a number (UTXO transactions carry per-input keys in `signatures` instead);
 * - the signer's `signsWith` picks what it gets: the first key (account chains), the deduplicated
 *   keys of every named wallet (SOL: sender, separate fee payer), the deduplicated set (UTXO), or
 *   every key in order, repeats included (BCH: key i signs input i);
 * - off-chain UTXO withdrawals derive input i's key from the first wallet's mnemonic at
 *   `withdrawalResponses[i].address.derivationKey`, skipping entries whose vIn is "-1".
 * The one rule on which wallets may sign: every id the transaction names (`hashes`, `signatures`) must
 * be in `options.allowed`, the ids the cycle asked pending transactions for (the store's wallets of
 * this chain and network, within --wallets). Any other id fails with WALLET_NOT_ALLOWED before the
 * store is asked: a hostile answer cannot make the daemon sign with a mainnet wallet on --testnet,
 * or with a wallet outside --wallets.
 * A wallet stored under an SDK alias of the chain (`USDT`, `ETH_BASE` for ETH) is the chain's.
 * Unknown ids, wallets of another chain, and transactions that yield no key fail with a message
 * that says why, and never contains a key.
 */
export async function resolveKeys(
  tx: PendingTransaction,
  lookup: WalletLookup,
  signer: ChainSigner,
  options: { testnet: boolean; allowed: ReadonlySet<string> },
): Promise<ResolvedKeys> {
  const signsWith = signer.signsWith ?? 'firstKey';
  const accountChain = signsWith === 'firstKey' || signsWith === 'everyKey';
  const wallet = async (id: string): Promise<WalletEntry> => {
    if (!options.allowed.has(id)) {
      const network = options.testnet ? 'testnet' : 'mainnet';
      throw new KeyResolutionError(
        'WALLET_NOT_ALLOWED',
        `Wallet ${id} is not one of the wallets this daemon asked pending transactions for (the store's ` +
          `${signer.chain} ${network} wallets, within --wallets when given); nothing was signed`,
      );
    }
    const entry = await lookup(id);
    if (!entry)
      throw new KeyResolutionError(
        'UNKNOWN_WALLET',
        `Unknown signatureId ${id}: no such wallet in the store`,
      );
    if (!storedAs(signer, entry.chain)) {
      throw new KeyResolutionError(
        'WRONG_CHAIN',
        `Wallet ${id} belongs to ${entry.chain}, not ${signer.chain}`,
      );
    }
    return entry;
  };
  const keyOf = async (
    id: string,
    entry: WalletEntry,
    index: number | undefined,
  ): Promise<string | undefined> => {
    switch (walletKind(entry)) {
      case 'mnemonic':
        return index === undefined
          ? undefined
          : signer.derivePrivateKey((entry as { mnemonic: string }).mnemonic, index, options.testnet);
      case 'secret':
        return (entry as { secret: string }).secret;
      case 'privateKey':
        return (entry as { privateKey: string }).privateKey;
    }
  };

  if (tx.withdrawalId && !accountChain && tx.withdrawalResponses?.length) {
    const [firstId] = tx.hashes;
    const entry = await wallet(firstId);
    if (walletKind(entry) !== 'mnemonic') {
      throw new KeyResolutionError(
        'NO_KEYS',
        `Off-chain withdrawal ${tx.id} needs a mnemonic wallet, but ${firstId} holds a single key`,
      );
    }
    const inputKeys = await Promise.all(
      tx.withdrawalResponses.map((response) =>
        response.vIn === '-1' ? undefined : keyOf(firstId, entry, response.address?.derivationKey ?? 0),
      ),
    );
    return { keys: dedupe(inputKeys.filter((key): key is string => key !== undefined)), inputKeys };
  }

  const keys: string[] = [];
  const reasons: string[] = [];
  for (const { id, index } of tx.signatures ?? []) {
    const entry = await wallet(id);
    const key = await keyOf(id, entry, index);
    if (key === undefined) reasons.push(`mnemonic wallet ${id} is used without an index`);
    else keys.push(key);
  }
  for (const id of tx.hashes) {
    const entry = await wallet(id);
    const mnemonic = walletKind(entry) === 'mnemonic';
    if (accountChain && !mnemonic && tx.index !== undefined && tx.index !== 0) {
      throw new KeyResolutionError(
        'INDEX_NOT_ALLOWED',
        `Wallet ${id} holds a single private key, but the transaction asks for its key at index ${tx.index}`,
      );
    }
    const key = await keyOf(id, entry, mnemonic ? tx.index : undefined);
    if (key !== undefined) keys.push(key);
    else if (!tx.signatures?.length) reasons.push(`mnemonic wallet ${id} is used without an index`);
  }
  if (keys.length === 0) {
    const why = reasons[0] ?? 'the transaction names no wallet';
    throw new KeyResolutionError(
      reasons.length ? 'INDEX_REQUIRED' : 'NO_KEYS',
      `No key for pending transaction ${tx.id}: ${why}`,
    );
  }
  if (signsWith === 'keysByInput') return { keys };
  const unique = dedupe(keys);
  return { keys: signsWith === 'firstKey' ? unique.slice(0, 1) : unique };
}

/** A wallet stored under the signer's chain, or under an SDK alias of it (`USDT` for ETH). */
function storedAs(signer: ChainSigner, chain: unknown): boolean {
  const name = String(chain).toUpperCase();
  return name === signer.chain || sdkAliasTarget(name) === signer.chain;
}

function dedupe(keys: string[]): string[] {
  return [...new Set(keys)];
}
