import { randomUUID } from 'node:crypto';
import { safeErrorMessage } from '@kms/common';
import { sameEntry, type StoredWallet, type WalletEntry, type WalletMap } from '../wallet-entry';
import type { PasswordSource, WalletFilter, WalletStore } from '../wallet-store.port';
import {
  CorruptStoreError,
  PasswordRequiredError,
  VaultError,
  WalletExistsError,
  WalletNotFoundError,
} from '../storage.errors';
import { assertWalletIds, isWalletId } from '../wallet-id';
import {
  DEFAULT_SCRYPT_COST,
  createDataKey,
  deriveKek,
  newScryptParams,
  rewrapDataKey,
  unwrapDataKey,
  type ScryptCost,
  type UnlockedKey,
} from '../file/wallet-file.codec';
import { forEachBounded, mapBounded } from './bounded';
import { WALLET_TAGS, type SecretVault } from './secret-vault.port';
import {
  openWalletSecret,
  parseDataKeyRecord,
  sealDataKeyRecord,
  sealWalletSecret,
} from './vault-secret.codec';

/** The suffix of the data key record's name; never a signatureId. */
const DATA_KEY = 'data-key';
const DATA_KEY_TAGS = { kind: 'kms-data-key' } as const;

export interface VaultStoreOptions {
  /** scrypt cost of a new data key wrap (default: the wallet file's, N=2^16 r=8 p=1). */
  scryptCost?: ScryptCost;
  /** Vault calls in flight at once for batches and listings (default 16). */
  concurrency?: number;
  /**
   * How long a listing of ids() is reused, in ms (default 0: always live). The daemon lists every
   * chain each cycle; on Azure that is one call per 25 wallets, so it reuses listings for a while.
   * Writes through this store clear the cache.
   */
  listTtlMs?: number;
}

interface PendingWrite {
  id: string;
  name: string;
  value: string;
  tags: Record<string, string>;
}

/**
 * The `aws`, `azure` and `vgs` providers: every wallet is its own secret `<prefix><signatureId>`, so
 * the store has no size limit. Envelope encryption: each value is the entry sealed with the store's
 * data key (vault-secret.codec.ts); the data key, wrapped by the password-derived key, is the one
 * further secret `<prefix>data-key`. Reading the vault alone reveals no key.
 *
 * Each wallet secret is tagged `{kind: 'kms-wallet', store: <prefix>, chain, testnet}`, so `ids()`
 * lists by chain and network from the vault's listing without reading a value (the `store` tag keeps
 * stores with overlapping prefixes apart).
 *
 * Lazy: the constructor makes no call; the first use reads the data key record, asks for the password
 * (once per instance) and runs scrypt (once). A vault without a data key record is an empty store for
 * reads; the first write creates the data key before any wallet (refusing if wallet secrets exist
 * without it, as they could not be read). Reads are live: nothing but the data key is cached.
 *
 * add() and import() write with bounded concurrency; if any write fails, the secrets this call wrote
 * are deleted again (best effort) and a VaultError says nothing was stored.
 */
export class VaultWalletStore implements WalletStore {
  private readonly keyName: string;
  private readonly concurrency: number;
  private passwordValue?: Promise<string>;
  private readonly listings = new Map<string, { at: number; ids: string[] }>();
  private unlocking?: Promise<UnlockedKey | undefined>;
  private creating?: Promise<UnlockedKey>;

  constructor(
    private readonly vault: SecretVault,
    private readonly passwords: PasswordSource,
    private readonly prefix: string,
    private readonly options: VaultStoreOptions = {},
  ) {
    this.keyName = `${prefix}${DATA_KEY}`;
    this.concurrency = options.concurrency ?? 16;
  }

  describe(): { type: string; location: string } {
    return this.vault.describe();
  }

  async get(id: string): Promise<WalletEntry> {
    if (!this.isId(id)) throw new WalletNotFoundError(id);
    const name = this.nameOf(id);
    const [key, value] = await Promise.all([this.unlock(), this.vault.get(name)]);
    if (value === undefined) throw new WalletNotFoundError(id);
    if (!key) throw this.missingKey();
    return openWalletSecret(value, name, key.dataKey, id);
  }

  /** From the vault's listing and tags only: no wallet value is read or decrypted. */
  async ids(filter: WalletFilter = {}): Promise<string[]> {
    const key = `${filter.chain ?? '*'}|${filter.testnet ?? '*'}`;
    const cached = this.listings.get(key);
    if (cached && Date.now() - cached.at < (this.options.listTtlMs ?? 0)) return [...cached.ids];
    const ids = await this.listIds(filter);
    this.listings.set(key, { at: Date.now(), ids });
    return [...ids];
  }

  private async listIds(filter: WalletFilter): Promise<string[]> {
    await this.unlock();
    const tags: Record<string, string> = { ...this.walletTags() };
    if (filter.chain !== undefined) tags.chain = filter.chain;
    if (filter.testnet !== undefined) tags.testnet = String(filter.testnet);
    const ids: string[] = [];
    for await (const { name } of this.vault.list(this.prefix, tags)) {
      const id = name.slice(this.prefix.length);
      if (name.startsWith(this.prefix) && this.isId(id)) ids.push(id);
    }
    return ids;
  }

  /** ids(), then each wallet read and decrypted (bounded concurrency); one removed meanwhile is skipped. */
  async list(filter: WalletFilter = {}): Promise<StoredWallet[]> {
    const ids = await this.ids(filter);
    const wallets = await mapBounded(ids, this.concurrency, async (id) => {
      try {
        return { id, entry: await this.get(id) };
      } catch (error) {
        if (error instanceof WalletNotFoundError) return undefined;
        throw error;
      }
    });
    return wallets.filter((wallet): wallet is StoredWallet => wallet !== undefined);
  }

  async export(): Promise<WalletMap> {
    const map: WalletMap = {};
    for (const { id, entry } of await this.list()) map[id] = entry;
    return map;
  }

  async add(entries: WalletEntry[]): Promise<string[]> {
    this.listings.clear();
    if (entries.length === 0) return [];
    const key = await this.writableKey();
    const writes = entries.map((entry) => this.sealed(randomUUID(), entry, key));
    await this.writeAll(writes);
    return writes.map(({ id }) => id);
  }

  /**
   * One listing of the names under the prefix; only ids already present are read (and compared);
   * different ones refuse the whole import before anything is written; the rest are written like add().
   */
  async import(entries: WalletMap): Promise<void> {
    this.listings.clear();
    const ids = Object.keys(entries);
    assertWalletIds(ids, [DATA_KEY]);
    if (ids.length === 0) return;
    const wanted = JSON.parse(JSON.stringify(entries)) as WalletMap;
    const key = await this.writableKey();
    const present = new Set<string>();
    for await (const { name } of this.vault.list(this.prefix)) present.add(name);
    const conflicts: string[] = [];
    const missing = ids.filter((id) => !present.has(this.nameOf(id)));
    await forEachBounded(
      ids.filter((id) => present.has(this.nameOf(id))),
      this.concurrency,
      async (id) => {
        const value = await this.vault.get(this.nameOf(id));
        if (value === undefined) return void missing.push(id);
        let current: WalletEntry | undefined;
        try {
          current = openWalletSecret(value, this.nameOf(id), key.dataKey, id);
        } catch (error) {
          if (!(error instanceof CorruptStoreError)) throw error;
        }
        if (!sameEntry(current, wanted[id])) conflicts.push(id);
      },
    );
    if (conflicts.length) throw new WalletExistsError(conflicts);
    await this.writeAll(missing.map((id) => this.sealed(id, wanted[id], key)));
  }

  async remove(id: string): Promise<void> {
    this.listings.clear();
    if (!this.isId(id)) throw new WalletNotFoundError(id);
    const name = this.nameOf(id);
    const [, value] = await Promise.all([this.unlock(), this.vault.get(name)]);
    if (value === undefined) throw new WalletNotFoundError(id);
    await this.vault.delete(name);
  }

  /** Re-wraps the same data key under a key from `newPassword` (new salt): one put of the record. */
  async changePassword(newPassword: string): Promise<void> {
    if (!newPassword) throw new PasswordRequiredError('The new wallet store password must not be empty');
    const current = await this.unlock();
    const key = current
      ? rewrapDataKey(current, await deriveKek(newPassword, newScryptParams(this.scryptCost)))
      : await this.createKey(newPassword);
    if (current) await this.vault.put(this.keyName, sealDataKeyRecord(key), DATA_KEY_TAGS);
    this.passwordValue = Promise.resolve(newPassword);
    this.unlocking = Promise.resolve(key);
  }

  /** Reads are live (each get asks the vault), so there is never anything to reload. */
  async refreshIfChanged(): Promise<boolean> {
    return false;
  }

  private get scryptCost(): ScryptCost {
    return this.options.scryptCost ?? DEFAULT_SCRYPT_COST;
  }

  private password(): Promise<string> {
    this.passwordValue ??= this.passwords.password().catch((error: unknown) => {
      this.passwordValue = undefined;
      throw error;
    });
    return this.passwordValue;
  }

  /** The data key, or undefined while the vault has no data key record. One scrypt per instance. */
  private unlock(): Promise<UnlockedKey | undefined> {
    this.unlocking ??= this.loadKey().catch((error: unknown) => {
      this.unlocking = undefined;
      throw error;
    });
    return this.unlocking;
  }

  private async loadKey(): Promise<UnlockedKey | undefined> {
    const record = await this.vault.get(this.keyName);
    if (record === undefined) return undefined;
    const header = parseDataKeyRecord(record, this.keyName);
    return unwrapDataKey(header, await deriveKek(await this.password(), header.kdf));
  }

  /** The data key, created (once per instance, before any wallet is written) if the vault has none. */
  private async writableKey(): Promise<UnlockedKey> {
    const existing = await this.unlock();
    if (existing) return existing;
    this.creating ??= this.password()
      .then((password) => this.createKey(password))
      .finally(() => (this.creating = undefined));
    return this.creating;
  }

  /**
   * Writes a new data key record, atomically where the vault can (createIfAbsent), else put and read
   * back. If another process created one first, that one is used instead (and must open with our
   * password). Refuses when wallet secrets exist without a data key: they would stay unreadable.
   */
  private async createKey(password: string): Promise<UnlockedKey> {
    const wallets = this.vault.list(this.prefix, this.walletTags())[Symbol.asyncIterator]();
    const first = await wallets.next();
    await wallets.return?.();
    if (!first.done) throw this.missingKey();
    const key = createDataKey(await deriveKek(password, newScryptParams(this.scryptCost)));
    const record = sealDataKeyRecord(key);
    let ours: boolean;
    if (this.vault.createIfAbsent) {
      ours = await this.vault.createIfAbsent(this.keyName, record, DATA_KEY_TAGS);
    } else {
      await this.vault.put(this.keyName, record, DATA_KEY_TAGS);
      ours = (await this.vault.get(this.keyName)) === record;
    }
    this.unlocking = ours ? Promise.resolve(key) : undefined;
    const winner = await this.unlock();
    if (!winner) throw this.missingKey();
    return winner;
  }

  /**
   * Puts every secret (the vault's putMany when offered, else bounded concurrency); on any failure
   * deletes what this call may have written, then throws.
   */
  private async writeAll(writes: PendingWrite[]): Promise<void> {
    if (writes.length === 0) return;
    const started: PendingWrite[] = [];
    try {
      if (this.vault.putMany) {
        started.push(...writes);
        await this.vault.putMany(writes);
      } else {
        await forEachBounded(writes, this.concurrency, async (write) => {
          started.push(write);
          await this.vault.put(write.name, write.value, write.tags);
        });
      }
    } catch (error) {
      const leftovers = await this.rollback(started);
      const { type } = this.vault.describe();
      const message = safeErrorMessage(error);
      const reason = message.startsWith(`${type}: `) ? message.slice(type.length + 2) : message;
      const rest = leftovers
        ? `; ${leftovers} partly written secret(s) could not be removed (their ids were never reported)`
        : '';
      throw new VaultError(
        type,
        `${writes.length} wallet(s) could not be stored (${reason}); nothing was stored${rest}`,
        error,
      );
    }
  }

  /** Best effort; returns how many deletes failed. */
  private async rollback(started: PendingWrite[]): Promise<number> {
    let failed = 0;
    await forEachBounded(started, this.concurrency, async ({ name }) => {
      await this.vault.delete(name).catch(() => void failed++);
    });
    return failed;
  }

  private sealed(id: string, entry: WalletEntry, key: UnlockedKey): PendingWrite {
    const name = this.nameOf(id);
    const tags = {
      ...this.walletTags(),
      chain: String(entry.chain),
      testnet: String(Boolean(entry.testnet)),
    };
    return { id, name, value: sealWalletSecret(entry, name, key.dataKey), tags };
  }

  private walletTags(): Record<string, string> {
    return { ...WALLET_TAGS, store: this.prefix };
  }

  private nameOf(id: string): string {
    return `${this.prefix}${id}`;
  }

  private isId(id: string): boolean {
    return isWalletId(id) && id !== DATA_KEY;
  }

  private missingKey(): CorruptStoreError {
    return new CorruptStoreError(
      this.keyName,
      'it is missing while the vault holds wallet secrets, which cannot be decrypted without it; restore it',
      undefined,
      'The data key secret',
    );
  }
}
