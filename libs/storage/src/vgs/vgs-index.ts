import { dirname } from 'node:path';
import { CorruptStoreError, VaultError } from '../storage.errors';
import { ioErrorReason } from '../file/io-error.reason';
import {
  ensureFolder,
  readWalletFile,
  statWalletFile,
  writeFileAtomic,
  type Fingerprint,
} from '../file/wallet-file.io';
import { lockWalletFile } from '../file/wallet-file.lock';

export const VGS_INDEX_FORMAT = 'tatum-kms-vgs-index';
const VGS_INDEX_VERSION = 1;

export interface VgsIndexEntry {
  alias: string;
  tags: Record<string, string>;
}

export type VgsIndexEntries = Map<string, VgsIndexEntry>;

interface Change {
  apply: (entries: VgsIndexEntries) => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * The local index of the vgs provider: secret name -> VGS alias and tags, because the VGS aliases
 * API can neither name a value nor list values. A JSON file (mode 0600, folder 0700):
 *   `{"format":"tatum-kms-vgs-index","version":1,"entries":{"<name>":{"alias","tags"}}}`
 * It holds no key and no credential: wallet values live in VGS, encrypted with the store's data key,
 * and each is authenticated with its own name, so an edited index can hide a wallet but never make
 * another one readable under its name. It is not encrypted (see README: back it up like wallet.dat;
 * without it the aliases in VGS cannot be found).
 *
 * Reads are served from memory while the file's fingerprint (a stat) is unchanged. Writes use the
 * wallet file's discipline (lock file, re-read under the lock, temp file, fsync, rename, fsync folder)
 * and group commit: changes queued while a write is in flight go out together in the next write, so
 * a batch of 1,000 puts costs tens of index writes, not 1,000.
 */
export class VgsIndex {
  private cached?: { fingerprint: Fingerprint | null; entries: VgsIndexEntries };
  private queue: Change[] = [];
  private flushing = false;

  constructor(readonly path: string) {}

  /** The current entries (do not mutate). */
  async read(): Promise<VgsIndexEntries> {
    const fingerprint = await this.guard('read', () => statWalletFile(this.path));
    if (this.cached && this.cached.fingerprint === fingerprint) return this.cached.entries;
    return this.load();
  }

  /**
   * Applies `change` to the entries under the lock and writes the file; resolves with what `change`
   * returned once the file is durable. A `change` that throws must not have modified the entries; it
   * rejects only its own caller.
   */
  update<T>(change: (entries: VgsIndexEntries) => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ apply: change, resolve: resolve as (value: unknown) => void, reject });
      if (!this.flushing) {
        this.flushing = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    while (this.queue.length) {
      const batch = this.queue;
      this.queue = [];
      const results: Array<{ ok: boolean; value: unknown }> = [];
      try {
        await this.guard('write', () => ensureFolder(dirname(this.path)));
        const held = await this.guard('write', () => lockWalletFile(this.path));
        try {
          const entries = new Map(await this.load());
          for (const change of batch) {
            try {
              results.push({ ok: true, value: change.apply(entries) });
            } catch (error) {
              results.push({ ok: false, value: error });
            }
          }
          const fingerprint = await this.guard('write', () =>
            writeFileAtomic(this.path, serialize(entries), () => held.assertHeld()),
          );
          this.cached = { fingerprint, entries };
        } finally {
          await held.release();
        }
      } catch (error) {
        for (const change of batch) change.reject(error);
        continue;
      }
      batch.forEach((change, i) =>
        results[i].ok ? change.resolve(results[i].value) : change.reject(results[i].value),
      );
    }
    this.flushing = false;
  }

  private async load(): Promise<VgsIndexEntries> {
    const file = await this.guard('read', () => readWalletFile(this.path));
    const entries = file ? parse(file.bytes.toString('utf8'), this.path) : new Map<string, VgsIndexEntry>();
    this.cached = { fingerprint: file?.fingerprint ?? null, entries };
    return entries;
  }

  private async guard<T>(what: 'read' | 'write', operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      if (error instanceof CorruptStoreError || error instanceof VaultError) throw error;
      throw new VaultError('vgs', `could not ${what} the index ${this.path}: ${ioErrorReason(error)}`, error);
    }
  }
}

function serialize(entries: VgsIndexEntries): string {
  return JSON.stringify({
    format: VGS_INDEX_FORMAT,
    version: VGS_INDEX_VERSION,
    entries: Object.fromEntries(entries),
  });
}

function parse(text: string, path: string): VgsIndexEntries {
  const bad = (detail: string): never => {
    throw new CorruptStoreError(path, detail, undefined, 'The VGS index');
  };
  let value: { format?: unknown; version?: unknown; entries?: unknown };
  try {
    value = JSON.parse(text);
  } catch {
    return bad('it is not JSON');
  }
  if (value?.format !== VGS_INDEX_FORMAT) return bad('it is not a VGS index of this KMS');
  if (value.version !== VGS_INDEX_VERSION) return bad(`version ${String(value.version)} is not supported`);
  const raw = value.entries;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return bad('"entries" is not an object');
  const entries: VgsIndexEntries = new Map();
  for (const [name, entry] of Object.entries(raw as Record<string, unknown>)) {
    const { alias, tags } = (entry ?? {}) as { alias?: unknown; tags?: unknown };
    if (typeof alias !== 'string' || typeof tags !== 'object' || tags === null || Array.isArray(tags))
      return bad(`the entry of ${name} is invalid`);
    entries.set(name, { alias, tags: tags as Record<string, string> });
  }
  return entries;
}
