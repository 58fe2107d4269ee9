import { Inject } from '@nestjs/common';
import type { ScryptCost } from './file/wallet-file.codec';
import type { StoredWallet, WalletEntry, WalletMap } from './wallet-entry';

export interface WalletFilter {
  /** A chain, or several: wallets of any of them (the daemon lists a chain with its SDK aliases). */
  chain?: string | readonly string[];
  testnet?: boolean;
}

/**
 * Where wallets live. Every provider keeps entries encrypted at rest and
 * unlocks lazily on first use, so commands that never touch the store never ask for a password.
 * Every mutating call is atomic: it either fully happens or leaves the store as it was.
 */
export interface WalletStore {
  /** The entry, or WalletNotFoundError. */
  get(id: string): Promise<WalletEntry>;
  list(filter?: WalletFilter): Promise<StoredWallet[]>;
  /** The signatureIds matching `filter`, without reading or decrypting entries where the provider can. */
  ids(filter?: WalletFilter): Promise<string[]>;
  /**
   * True while the store does not exist yet (no wallet file, no data key in the vault): its first
   * write will seal it with the password given now, so a prompt asks for that password twice. Reads
   * nothing secret and needs no password.
   */
  isNew?(): Promise<boolean>;
  /** Stores all entries in one write and returns their new signatureIds, in order. */
  add(entries: WalletEntry[]): Promise<string[]>;
  /**
   * Stores entries under their given signatureIds (migration between providers). An id already
   * present with an identical entry is left as it is; one with a different entry is refused with
   * WalletExistsError before anything is written. All or nothing, like add().
   */
  import(entries: WalletMap): Promise<void>;
  /** Removes one wallet, or WalletNotFoundError. */
  remove(id: string): Promise<void>;
  export(): Promise<WalletMap>;
  /**
   * Rotates the data key: a new random key, every wallet re-encrypted under it, wrapped by a key
   * from `newPassword`. Neither the old password nor an old copy of the store opens what is written
   * afterwards. Resumable where the provider cannot do it in one write (vault stores).
   */
  changePassword(newPassword: string): Promise<PasswordChange>;
  /**
   * The scrypt cost of the key that unlocked the store (its header's N, r, p), once a read has
   * unlocked it; undefined before, or for a provider without one. Keys the KMS derives from the same
   * password (the signing journal's seal key) take it, so they are never a cheaper password oracle.
   */
  keyCost?(): ScryptCost | undefined;
  /** Long-running processes (the daemon): reloads the store if another process changed it; true if it did. */
  refreshIfChanged?(): Promise<boolean>;
  /** Non-secret facts for checkconfig/report, e.g. `{ type: 'file', location: '/root/.tatumrc/wallet.dat' }`. */
  describe(): { type: string; location: string };
}

/** What changePassword did. */
export interface PasswordChange {
  /** Wallets now encrypted under the new data key. */
  wallets: number;
  /** Wallets whose secret could not be decrypted (damaged): left exactly as they were. */
  unreadable: number;
  /** True when it finished a change that an earlier, interrupted run had started. */
  resumed: boolean;
}

export const WALLET_STORE = Symbol('WALLET_STORE');
export const InjectWalletStore = (): ParameterDecorator => Inject(WALLET_STORE);

/**
 * A new store of any provider (by its type, e.g. `file`), from the same configuration and password
 * source as WALLET_STORE (migrate reads one provider and writes another). Each call returns a fresh,
 * still locked instance; the provider's implementation is imported on the first call for it.
 */
export type WalletStoreFactory = (type: string) => Promise<WalletStore>;
export const WALLET_STORE_FACTORY = Symbol('WALLET_STORE_FACTORY');
export const InjectWalletStoreFactory = (): ParameterDecorator => Inject(WALLET_STORE_FACTORY);

/** Supplies the password that unlocks the store (env, prompt, or a vault secret). Read at most once. */
export interface PasswordSource {
  password(): Promise<string>;
  /** Human-readable origin for checkconfig (never the value). */
  readonly origin: string;
}

export const PASSWORD_SOURCE = Symbol('PASSWORD_SOURCE');
export const InjectPasswordSource = (): ParameterDecorator => Inject(PASSWORD_SOURCE);
