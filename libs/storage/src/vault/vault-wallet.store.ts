import { randomUUID } from 'node:crypto';
import { safeErrorMessage } from '@kms/common';
import { sameEntry, type StoredWallet, type WalletEntry, type WalletMap } from '../wallet-entry';
import type { PasswordChange, PasswordSource, WalletFilter, WalletStore } from '../wallet-store.port';
import {
  CorruptStoreError,
  PasswordChangeConflictError,
  PasswordChangeInterruptedError,
  PasswordChangePendingError,
  PasswordRequiredError,
  VaultError,
  WalletExistsError,
  WalletNotFoundError,
  WrongPasswordError,
} from '../storage.errors';
import { assertWalletIds, isWalletId } from '../wallet-id';
import { DEFAULT_SCRYPT_COST, deriveKek, newScryptParams, type ScryptCost } from '../file/wallet-file.codec';
import { forEachBounded, mapBounded } from './bounded';
import {
  DATA_KEY_TAGS,
  firstDataKey,
  nextDataKey,
  openDataKeyRecord,
  parseDataKeyRecord,
  sameDataKey,
  sealDataKeyRecord,
  type DataKeyRecord,
  type VaultKeys,
} from './data-key-record';
import { finishRotation, readRecord, type RotationContext, type RotationOutcome } from './key-rotation';
import { WALLET_TAGS, type SecretVault } from './secret-vault.port';
import {
  openWalletSecret,
  readWalletSecret,
  sealWalletSecret,
  unknownGeneration,
} from './vault-secret.codec';

/** Suffixes of the data key record and of the next one during a password change; never signatureIds. */
const DATA_KEY = 'data-key';
const NEXT_DATA_KEY = 'data-key-next';
const RESERVED_IDS = [DATA_KEY, NEXT_DATA_KEY];

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
 * further secret `<prefix>data-key` (data-key-record.ts). Reading the vault alone reveals no key.
 *
 * Each wallet secret is tagged `{kind: 'kms-wallet', store: <prefix>, chain, testnet}`, so `ids()`
 * lists by chain and network from the vault's listing without reading a value (the `store` tag keeps
 * stores with overlapping prefixes apart).
 *
 * Lazy: the constructor makes no call; the first use reads the data key record, asks for the password
 * (once per instance) and runs scrypt (once). A vault without a data key record is an empty store for
 * reads; the first write creates the data key before any wallet (refusing if wallet secrets exist
 * without it, as they could not be read). Reads are live: nothing but the data keys is cached; a
 * wallet sealed under a generation newer than the cached keys (a password change by another process)
 * makes the store unlock again.
 *
 * add() and import() write with bounded concurrency; if any write fails, the secrets this call wrote
 * are deleted again (best effort) and a VaultError says nothing was stored. changePassword() rotates
 * the data key and re-encrypts every wallet, resumably (key-rotation.ts).
 */
export class VaultWalletStore implements WalletStore {
  private readonly keyName: string;
  private readonly nextKeyName: string;
  private readonly concurrency: number;
  private passwordValue?: Promise<string>;
  private readonly listings = new Map<string, { at: number; ids: string[] }>();
  private unlocking?: Promise<VaultKeys | undefined>;
  private keys?: VaultKeys;
  private creating?: Promise<VaultKeys>;

  constructor(
    private readonly vault: SecretVault,
    private readonly passwords: PasswordSource,
    private readonly prefix: string,
    private readonly options: VaultStoreOptions = {},
  ) {
    this.keyName = `${prefix}${DATA_KEY}`;
    this.nextKeyName = `${prefix}${NEXT_DATA_KEY}`;
    this.concurrency = options.concurrency ?? 16;
  }

  describe(): { type: string; location: string } {
    return this.vault.describe();
  }

  keyCost(): ScryptCost | undefined {
    if (!this.keys) return undefined;
    const { N, r, p } = this.keys.record.header.kdf;
    return { N, r, p };
  }

  async get(id: string): Promise<WalletEntry> {
    if (!this.isId(id)) throw new WalletNotFoundError(id);
    const name = this.nameOf(id);
    const [keys, value] = await Promise.all([this.unlock(), this.vault.get(name)]);
    if (value === undefined) throw new WalletNotFoundError(id);
    if (!keys) throw this.missingKey();
    return this.open(value, id, keys);
  }

  /** No data key record yet: the first write creates one, sealed with the password given now. */
  async isNew(): Promise<boolean> {
    return (await this.readRecords()).current === undefined;
  }

  /** From the vault's listing and tags only: no wallet value is read or decrypted. */
  async ids(filter: WalletFilter = {}): Promise<string[]> {
    const key = `${[filter.chain ?? '*'].flat().join(',')}|${filter.testnet ?? '*'}`;
    const cached = this.listings.get(key);
    if (cached && Date.now() - cached.at < (this.options.listTtlMs ?? 0)) return [...cached.ids];
    const ids = await this.listIds(filter);
    this.listings.set(key, { at: Date.now(), ids });
    return [...ids];
  }

  private async listIds(filter: WalletFilter): Promise<string[]> {
    await this.unlock();
    const tags: Record<string, string> = { ...this.walletTags() };
    // tags match one value: several chains are one listing of the network, matched here on the chain tag
    const chains = filter.chain === undefined ? undefined : [filter.chain].flat();
    if (chains?.length === 1) tags.chain = chains[0];
    if (filter.testnet !== undefined) tags.testnet = String(filter.testnet);
    const ids: string[] = [];
    for await (const { id, tags: found } of this.walletSecrets(tags)) {
      if (chains === undefined || chains.length === 1 || chains.includes(found.chain)) ids.push(id);
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
    const keys = await this.writableKeys();
    const writes = entries.map((entry) => this.sealed(randomUUID(), entry, keys));
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
    assertWalletIds(ids, RESERVED_IDS);
    if (ids.length === 0) return;
    const wanted = JSON.parse(JSON.stringify(entries)) as WalletMap;
    const keys = await this.writableKeys();
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
          current = await this.open(value, id, keys);
        } catch (error) {
          if (!(error instanceof CorruptStoreError)) throw error;
        }
        if (!sameEntry(current, wanted[id])) conflicts.push(id);
      },
    );
    if (conflicts.length) throw new WalletExistsError(conflicts);
    await this.writeAll(missing.map((id) => this.sealed(id, wanted[id], keys)));
  }

  async remove(id: string): Promise<void> {
    this.listings.clear();
    if (!this.isId(id)) throw new WalletNotFoundError(id);
    const name = this.nameOf(id);
    const [, value] = await Promise.all([this.unlock(), this.vault.get(name)]);
    if (value === undefined) throw new WalletNotFoundError(id);
    await this.vault.delete(name);
  }

  /**
   * Rotates the data key (key-rotation.ts): a new generation wrapped by `newPassword`, every wallet
   * re-encrypted under it. Finishes an interrupted change first: to `newPassword` (then that is all
   * it does), or to the current password (then it starts a new change from there).
   */
  async changePassword(newPassword: string): Promise<PasswordChange> {
    if (!newPassword) throw new PasswordRequiredError('The new wallet store password must not be empty');
    this.listings.clear();
    const password = await this.password();
    const { current, next } = await this.readRecords();
    if (!current) {
      this.adopt(newPassword, await this.createKey(newPassword));
      return { wallets: 0, unreadable: 0, resumed: false };
    }
    if (!current.rotating) return this.rotate(await this.openRecord(current, password), newPassword);
    const pending = next as DataKeyRecord;
    const toNew = await this.tryOpen(pending, newPassword, true);
    if (toNew) {
      if (!(await this.tryOpen(pending, password, true)) && !(await this.tryOpen(current, password)))
        throw new WrongPasswordError();
      const outcome = await this.finish(current, toNew);
      this.adopt(newPassword, toNew);
      return { ...outcome, resumed: true };
    }
    const toCurrent = await this.tryOpen(pending, password, true);
    if (!toCurrent) {
      if (await this.tryOpen(current, password)) throw this.changePending(true);
      throw new WrongPasswordError();
    }
    await this.finish(current, toCurrent);
    return this.rotate(toCurrent, newPassword);
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

  /** The data keys, or undefined while the vault has no data key record. One scrypt per instance. */
  private unlock(): Promise<VaultKeys | undefined> {
    this.unlocking ??= this.loadKeys().then(
      (keys) => (this.keys = keys),
      (error: unknown) => {
        this.unlocking = undefined;
        throw error;
      },
    );
    return this.unlocking;
  }

  /** Unlocks again, once for all callers that saw the same `stale` keys (the store was re-keyed). */
  private relock(stale: VaultKeys): Promise<VaultKeys | undefined> {
    if (this.keys === stale) {
      this.keys = undefined;
      this.unlocking = undefined;
    }
    return this.unlock();
  }

  /**
   * Opens the data key record with the password. While a password change is in progress, the next
   * record must open instead (the new password), and this unlock finishes the change; the old
   * password is then refused with PasswordChangePendingError.
   */
  private async loadKeys(): Promise<VaultKeys | undefined> {
    const { current, next } = await this.readRecords();
    if (!current) return undefined;
    const password = await this.password();
    if (!current.rotating) return this.openRecord(current, password);
    const keys = await this.tryOpen(next as DataKeyRecord, password, true);
    if (!keys) {
      if (await this.tryOpen(current, password)) throw this.changePending(true);
      throw new WrongPasswordError();
    }
    await this.finish(current, keys);
    return keys;
  }

  /**
   * The data key record, and the next one while it is flagged `rotating`. If the next one is missing,
   * another process may have just finished the change (switch, then delete): read again.
   */
  private async readRecords(): Promise<{ current?: DataKeyRecord; next?: DataKeyRecord }> {
    for (let attempt = 1; ; attempt++) {
      const text = await this.vault.get(this.keyName);
      if (text === undefined) return {};
      const current = parseDataKeyRecord(text, this.keyName);
      if (!current.rotating) return { current };
      const nextText = await this.vault.get(this.nextKeyName);
      if (nextText !== undefined) {
        const next = parseDataKeyRecord(nextText, this.nextKeyName);
        if (next.generation !== current.generation + 1)
          throw this.damagedRecord(
            this.nextKeyName,
            `it holds generation ${next.generation}, not ${current.generation + 1}`,
          );
        return { current, next };
      }
      if (attempt >= 3)
        throw this.damagedRecord(
          this.nextKeyName,
          'it is missing while a password change is in progress; wallets already re-encrypted cannot be read without it: restore it',
        );
    }
  }

  /** `record` is data-key, or data-key-next when `next` is set (which its errors then name). */
  private openRecord(record: DataKeyRecord, password: string, next = false): Promise<VaultKeys> {
    return openDataKeyRecord(record, password, next ? this.nextKeyName : this.keyName);
  }

  /** The record's keys, or undefined if `password` is not the one it is wrapped with. */
  private async tryOpen(
    record: DataKeyRecord,
    password: string,
    next = false,
  ): Promise<VaultKeys | undefined> {
    try {
      return await this.openRecord(record, password, next);
    } catch (error) {
      if (error instanceof WrongPasswordError) return undefined;
      throw error;
    }
  }

  /**
   * Steps 2 to 5 of key-rotation.ts from the unlocked `keys`: creates data-key-next (or resumes the
   * one an interrupted run left, if `newPassword` opens it), flags data-key, re-encrypts, switches.
   * data-key-next is the reservation of generation g+1: once it is ours, data-key must still be the
   * record `keys` came from, else another change finished in between and this one gives way.
   */
  private async rotate(keys: VaultKeys, newPassword: string): Promise<PasswordChange> {
    const ctx = this.rotation();
    let next = nextDataKey(keys, await deriveKek(newPassword, newScryptParams(this.scryptCost)));
    let created = await this.createRecord(this.nextKeyName, next.record);
    let resumed = false;
    if (!created) {
      const left = await readRecord(ctx, this.nextKeyName);
      const reusable =
        left?.generation === next.generation ? await this.tryOpen(left, newPassword, true) : undefined;
      if (reusable) {
        next = reusable;
        resumed = true;
      } else if (!left || left.generation <= keys.generation) {
        if (left) await this.vault.delete(this.nextKeyName); // the leftover of a finished change
        created = await this.createRecord(this.nextKeyName, next.record);
        if (!created) throw this.changePending(false);
      } else {
        throw this.changePending(false);
      }
    }
    const now = await readRecord(ctx, this.keyName);
    if (!now || now.rotating || !sameDataKey(now, keys.record)) {
      if (created) await this.vault.delete(this.nextKeyName);
      throw new PasswordChangeConflictError();
    }
    await this.vault.put(this.keyName, sealDataKeyRecord({ ...keys.record, rotating: true }), DATA_KEY_TAGS);
    const outcome = await this.finish(keys.record, next);
    this.adopt(newPassword, next);
    return { ...outcome, resumed };
  }

  /** Steps 4 and 5; a failure says that nothing is lost and how to go on. */
  private async finish(from: DataKeyRecord, next: VaultKeys): Promise<RotationOutcome> {
    try {
      return await finishRotation(this.rotation(), from, next);
    } catch (error) {
      throw new PasswordChangeInterruptedError(error);
    }
  }

  /** After a password change: the new password and keys are this instance's from now on. */
  private adopt(password: string, keys: VaultKeys): void {
    this.passwordValue = Promise.resolve(password);
    this.keys = keys;
    this.unlocking = Promise.resolve(keys);
  }

  /** The data keys, created (once per instance, before any wallet is written) if the vault has none. */
  private async writableKeys(): Promise<VaultKeys> {
    const existing = await this.unlock();
    if (existing) return existing;
    this.creating ??= this.password()
      .then((password) => this.createKey(password))
      .finally(() => (this.creating = undefined));
    return this.creating;
  }

  /**
   * Writes a new data key record (generation 0), atomically where the vault can, else put and read
   * back. If another process created one first, that one is used instead (and must open with our
   * password). Refuses when wallet secrets exist without a data key: they would stay unreadable.
   */
  private async createKey(password: string): Promise<VaultKeys> {
    const wallets = this.vault.list(this.prefix, this.walletTags())[Symbol.asyncIterator]();
    const first = await wallets.next();
    await wallets.return?.();
    if (!first.done) throw this.missingKey();
    const keys = firstDataKey(await deriveKek(password, newScryptParams(this.scryptCost)));
    const ours = await this.createRecord(this.keyName, keys.record);
    this.keys = undefined;
    this.unlocking = ours ? Promise.resolve((this.keys = keys)) : undefined;
    const winner = await this.unlock();
    if (!winner) throw this.missingKey();
    return winner;
  }

  /**
   * Creates a record secret if none of that name exists; true if this call created it. A vault
   * without atomic create (Azure) overwrites instead, then reads back whether its value stayed.
   */
  private async createRecord(name: string, record: DataKeyRecord): Promise<boolean> {
    const text = sealDataKeyRecord(record);
    if (this.vault.createIfAbsent) return this.vault.createIfAbsent(name, text, DATA_KEY_TAGS);
    await this.vault.put(name, text, DATA_KEY_TAGS);
    return (await this.vault.get(name)) === text;
  }

  /** Decrypts a wallet's value with the key of the generation it names. */
  private async open(value: string, id: string, keys: VaultKeys): Promise<WalletEntry> {
    const sealed = readWalletSecret(value, id);
    let key = keys.byGeneration.get(sealed.generation);
    if (!key && sealed.generation > keys.generation)
      key = (await this.relock(keys))?.byGeneration.get(sealed.generation);
    if (!key) throw unknownGeneration(id, sealed.generation);
    return openWalletSecret(sealed, this.nameOf(id), key, id);
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

  private sealed(id: string, entry: WalletEntry, keys: VaultKeys): PendingWrite {
    const name = this.nameOf(id);
    const tags = {
      ...this.walletTags(),
      chain: String(entry.chain),
      testnet: String(Boolean(entry.testnet)),
    };
    return { id, name, value: sealWalletSecret(entry, name, keys.current.dataKey, keys.generation), tags };
  }

  /** The store's wallet secrets (names under the prefix with the wallet tags, plus `tags`). */
  private async *walletSecrets(tags: Record<string, string> = this.walletTags()) {
    for await (const { name, tags: found } of this.vault.list(this.prefix, tags)) {
      const id = name.slice(this.prefix.length);
      if (name.startsWith(this.prefix) && this.isId(id)) yield { name, id, tags: found };
    }
  }

  private rotation(): RotationContext {
    return {
      vault: this.vault,
      keyName: this.keyName,
      nextKeyName: this.nextKeyName,
      concurrency: this.concurrency,
      walletSecrets: () => this.walletSecrets(),
      seal: (id, entry, keys) => this.sealed(id, entry, keys),
    };
  }

  private walletTags(): Record<string, string> {
    return { ...WALLET_TAGS, store: this.prefix };
  }

  private nameOf(id: string): string {
    return `${this.prefix}${id}`;
  }

  private isId(id: string): boolean {
    return isWalletId(id) && !RESERVED_IDS.includes(id);
  }

  private missingKey(): CorruptStoreError {
    return this.damagedRecord(
      this.keyName,
      'it is missing while the vault holds wallet secrets, which cannot be decrypted without it; restore it',
    );
  }

  private damagedRecord(name: string, detail: string): CorruptStoreError {
    return new CorruptStoreError(name, detail, undefined, 'The data key secret');
  }

  /** `started`: the data key record is flagged, so wallets may be re-encrypted under the pending key. */
  private changePending(started: boolean): PasswordChangePendingError {
    return new PasswordChangePendingError(this.nextKeyName, started);
  }
}
