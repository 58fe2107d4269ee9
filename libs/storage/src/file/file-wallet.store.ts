import { randomUUID } from 'node:crypto';
import { dirname } from 'node:path';
import { KmsError } from '@kms/common';
import { sameEntry, type StoredWallet, type WalletEntry, type WalletMap } from '../wallet-entry';
import type { PasswordChange, PasswordSource, WalletFilter, WalletStore } from '../wallet-store.port';
import {
  PasswordRequiredError,
  StoreReadError,
  StoreWriteError,
  WalletExistsError,
  WalletNotFoundError,
} from '../storage.errors';
import { assertWalletIds } from '../wallet-id';
import { ioErrorReason } from './io-error.reason';
import { KeyRing } from './key-ring';
import { legacyConversionNotice } from './legacy-backup';
import {
  createDataKey,
  deriveKek,
  newScryptParams,
  sealWalletMap,
  type Kek,
  type ScryptCost,
  type UnlockedKey,
} from './wallet-file.codec';
import { ensureFolder, readWalletFile, statWalletFile, writeBackup, writeFileAtomic } from './wallet-file.io';
import { lockWalletFile, type HeldLock } from './wallet-file.lock';
import { decodeWalletFile, KekNeeded, type WalletSnapshot } from './wallet-file.snapshot';

export interface FileStoreOptions {
  /**
   * scrypt cost of a new file or a new password (default DEFAULT_SCRYPT_COST). An existing file is
   * always opened with the cost its header names. Lower costs are for tests only.
   */
  scryptCost?: ScryptCost;
}

/** Lock rounds that re-derive outside the lock before a round is allowed to run scrypt under it. */
const OPTIMISTIC_ROUNDS = 3;

export interface FileStoreOptions {
  /** Receives one-line notices for the user (never a secret): the legacy backup kept at a conversion. */
  warn?: (message: string) => void;
}

/**
 * The `file` provider: one encrypted wallet file (format v2; tatum-kms's legacy format is read and
 * converted on the first write, keeping the original as `<file>.bak` and saying so through `warn`).
 *
 * Lazy: the constructor does nothing; the first call reads the file. Reads of a missing file see an
 * empty store without asking for a password; reads of an existing file ask once (per instance) and run
 * scrypt once. The decrypted map is cached; `refreshIfChanged()` reloads it when another process wrote.
 *
 * Writes (add, remove, changePassword) take the `<file>.lock` lock, re-read the file under it, apply
 * the change, write `<file>.tmp` (0600, fsynced), rename it over the file and fsync the folder (created
 * 0700 if missing). Any I/O failure is a StoreWriteError and leaves the previous file as it was.
 */
export class FileWalletStore implements WalletStore {
  private readonly ring: KeyRing;
  private snapshot?: WalletSnapshot;
  private loading?: Promise<WalletSnapshot>;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly location: string,
    passwords: PasswordSource,
    private readonly options: FileStoreOptions = {},
  ) {
    this.ring = new KeyRing(passwords, options.scryptCost);
  }

  describe(): { type: string; location: string } {
    return { type: 'file', location: this.location };
  }

  keyCost(): ScryptCost | undefined {
    if (this.snapshot?.kind !== 'v2') return undefined;
    const { N, r, p } = this.snapshot.key.kek.kdf;
    return { N, r, p };
  }

  async get(id: string): Promise<WalletEntry> {
    const { map } = await this.view();
    if (!Object.hasOwn(map, id)) throw new WalletNotFoundError(id);
    return structuredClone(map[id]);
  }

  async list(filter: WalletFilter = {}): Promise<StoredWallet[]> {
    return (await this.matching(filter)).map(([id, entry]) => ({ id, entry: structuredClone(entry) }));
  }

  /** No wallet file yet, or an empty one (what a first write creates). */
  async isNew(): Promise<boolean> {
    const file = await this.guardRead(() => readWalletFile(this.location));
    return file === null || file.bytes.toString('utf8').trim() === '';
  }

  async ids(filter: WalletFilter = {}): Promise<string[]> {
    return (await this.matching(filter)).map(([id]) => id);
  }

  private async matching(filter: WalletFilter): Promise<Array<[string, WalletEntry]>> {
    const { map } = await this.view();
    const chains = filter.chain === undefined ? undefined : [filter.chain].flat();
    return Object.entries(map).filter(
      ([, entry]) =>
        (chains === undefined || chains.includes(entry.chain)) &&
        (filter.testnet === undefined || Boolean(entry.testnet) === filter.testnet),
    );
  }

  async export(): Promise<WalletMap> {
    return structuredClone((await this.view()).map);
  }

  /** One locked read-modify-write for the whole batch; ids are uuid v4, in the order of `entries`. */
  async add(entries: WalletEntry[]): Promise<string[]> {
    if (entries.length === 0) return [];
    const added = entries.map((entry) => ({ id: randomUUID(), entry: structuredClone(entry) }));
    await this.mutate((map) => {
      for (const { id, entry } of added) map[id] = entry;
    });
    return added.map(({ id }) => id);
  }

  /** One locked read-modify-write: identical entries already present are kept, different ones refused. */
  async import(entries: WalletMap): Promise<void> {
    const incoming = Object.keys(entries);
    assertWalletIds(incoming);
    if (incoming.length === 0) return;
    const copies = structuredClone(entries);
    await this.mutate((map) => {
      const conflicts = incoming.filter((id) => Object.hasOwn(map, id) && !sameEntry(map[id], copies[id]));
      if (conflicts.length) throw new WalletExistsError(conflicts);
      for (const id of incoming) map[id] = copies[id];
    });
  }

  async remove(id: string): Promise<void> {
    await this.mutate((map) => {
      if (!Object.hasOwn(map, id)) throw new WalletNotFoundError(id);
      delete map[id];
    });
  }

  /**
   * Rotates the data key in one atomic write: a new random data key encrypts the map, wrapped by a KEK
   * from `newPassword` (new salt). An old copy of the file and the old password open only the old key,
   * which encrypts nothing written from now on.
   */
  async changePassword(newPassword: string): Promise<PasswordChange> {
    if (!newPassword) throw new PasswordRequiredError('The new wallet store password must not be empty');
    let wallets = 0;
    await this.mutate((map) => void (wallets = Object.keys(map).length), newPassword);
    return { wallets, unreadable: 0, resumed: false };
  }

  /**
   * Reloads the cached map if the file changed since this instance last read or wrote it (a stat,
   * then a decrypt only on change; no scrypt unless the salt changed). Returns whether it reloaded.
   * Does nothing before the first read.
   */
  refreshIfChanged(): Promise<boolean> {
    return this.serially(async () => {
      if (!this.snapshot) return false;
      const fingerprint = await this.guardRead(() => statWalletFile(this.location));
      if (fingerprint === this.snapshot.fingerprint) return false;
      this.snapshot = await this.decode('derive');
      return true;
    });
  }

  private view(): Promise<WalletSnapshot> {
    if (this.snapshot) return Promise.resolve(this.snapshot);
    this.loading ??= this.decode('derive').then(
      (snapshot) => (this.snapshot ??= snapshot),
      (error: unknown) => {
        this.loading = undefined;
        throw error;
      },
    );
    return this.loading;
  }

  private async decode(mode: 'derive' | 'no-scrypt'): Promise<WalletSnapshot> {
    const file = await this.guardRead(() => readWalletFile(this.location));
    const previous = this.snapshot?.kind === 'v2' ? this.snapshot.key : undefined;
    return decodeWalletFile(file, { location: this.location, ring: this.ring, previous, mode });
  }

  /**
   * Locked read-modify-write. Everything slow (password, scrypt) happens before taking the lock; if the
   * file under the lock needs a KEK not derived yet (another process created or converted it meanwhile),
   * the lock is released, the KEK derived, and the round repeated.
   */
  private mutate(change: (map: WalletMap) => void, newPassword?: string): Promise<void> {
    return this.serially(async () => {
      await this.ring.password();
      const current = await this.view();
      const rekey =
        newPassword === undefined
          ? undefined
          : await deriveKek(newPassword, newScryptParams(this.options.scryptCost));
      if (!rekey && current.kind !== 'v2') await this.ring.prepareFresh();
      await this.guardWrite(() => ensureFolder(dirname(this.location)));
      for (let round = 1; ; round++) {
        let needed: KekNeeded;
        const held = await this.guardWrite(() => lockWalletFile(this.location));
        try {
          const latest = await this.decode(round < OPTIMISTIC_ROUNDS ? 'no-scrypt' : 'derive');
          await this.commit(latest, change, held, rekey);
          if (rekey && newPassword !== undefined) this.ring.adopt(newPassword, rekey);
          return;
        } catch (error) {
          if (!(error instanceof KekNeeded)) throw error;
          needed = error;
        } finally {
          await held.release();
        }
        await (needed.kdf ? this.ring.derive(needed.kdf) : this.ring.prepareFresh());
      }
    });
  }

  /** Under the lock: apply, seal, back up a legacy original, replace the file, update the cache. */
  private async commit(
    latest: WalletSnapshot,
    change: (map: WalletMap) => void,
    held: HeldLock,
    rekey?: Kek,
  ) {
    let key: UnlockedKey;
    if (rekey) key = createDataKey(rekey);
    else if (latest.kind === 'v2') key = latest.key;
    else {
      const fresh = this.ring.peekFresh();
      if (!fresh) throw new KekNeeded();
      key = createDataKey(fresh);
    }
    const map = { ...latest.map };
    change(map);
    const text = sealWalletMap(map, key);
    const backup =
      latest.kind === 'legacy'
        ? await this.guardWrite(() => writeBackup(this.location, latest.bytes))
        : undefined;
    const fingerprint = await this.guardWrite(() =>
      writeFileAtomic(this.location, text, () => held.assertHeld()),
    );
    this.ring.remember(key.kek);
    this.snapshot = { kind: 'v2', map, key, fingerprint };
    if (backup) this.options.warn?.(legacyConversionNotice(backup));
  }

  /** Runs store-changing tasks of this instance one at a time (the file lock orders processes). */
  private serially<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async guardWrite<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      if (error instanceof KmsError || error instanceof KekNeeded) throw error;
      throw new StoreWriteError(this.location, ioErrorReason(error), error);
    }
  }

  private async guardRead<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      throw new StoreReadError(this.location, ioErrorReason(error), error);
    }
  }
}
