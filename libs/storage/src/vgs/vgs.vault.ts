import { forEachBounded } from '../vault/bounded';
import type { SecretVault } from '../vault/secret-vault.port';
import { VgsHttpClient, type VgsHttpOptions, type VgsSettings } from './vgs-http.client';
import { VgsIndex } from './vgs-index';

export interface VgsVaultSettings extends VgsSettings {
  /** The local index of names -> aliases (TATUM_KMS_VGS_INDEX). */
  vgsIndexPath: string;
}

const CLASSIFIERS = ['tatum-kms'];
/** The aliases API's limit of values per create request. */
const PER_REQUEST = 20;
const REQUESTS_IN_FLIGHT = 8;

/**
 * SecretVault over the VGS vault HTTP API (aliases). VGS stores a value and hands back a random
 * alias; it can neither name nor list values, so names and tags live in a local index file
 * (vgs-index.ts) and listing is answered from it without any API call.
 *
 * Ordering keeps the index from ever pointing at nothing it created: put creates the alias first and
 * records it in the index second (a crash in between leaves an orphan alias, never a dangling name),
 * then deletes the alias it replaced; delete removes the alias first and the index entry second. An
 * alias deleted in VGS behind our back reads as a missing secret.
 */
export class VgsVault implements SecretVault {
  private readonly http: VgsHttpClient;
  private readonly index: VgsIndex;

  constructor(settings: VgsVaultSettings, options: VgsHttpOptions = {}) {
    this.http = new VgsHttpClient(settings, options);
    this.index = new VgsIndex(settings.vgsIndexPath);
  }

  get calls(): number {
    return this.http.calls;
  }

  describe(): { type: string; location: string } {
    return { type: 'vgs', location: `${this.http.display} (index ${this.index.path})` };
  }

  async get(name: string): Promise<string | undefined> {
    const entry = (await this.index.read()).get(name);
    return entry ? this.http.reveal(entry.alias) : undefined;
  }

  put(name: string, value: string, tags: Readonly<Record<string, string>>): Promise<void> {
    return this.putMany([{ name, value, tags }]);
  }

  /**
   * Creates the aliases 20 per request (a few requests in flight), then records them all in ONE index
   * write, then deletes the aliases they replaced. On failure the aliases created so far are deleted
   * (best effort) and the index is unchanged: nothing was stored.
   */
  async putMany(
    secrets: ReadonlyArray<{ name: string; value: string; tags: Readonly<Record<string, string>> }>,
  ): Promise<void> {
    const aliases = new Array<string>(secrets.length);
    const created: string[] = [];
    let replaced: string[];
    try {
      const chunks: number[] = [];
      for (let start = 0; start < secrets.length; start += PER_REQUEST) chunks.push(start);
      await forEachBounded(chunks, REQUESTS_IN_FLIGHT, async (start) => {
        const chunk = secrets.slice(start, start + PER_REQUEST);
        const got = await this.http.create(
          chunk.map(({ value }) => value),
          CLASSIFIERS,
        );
        created.push(...got);
        got.forEach((alias, i) => (aliases[start + i] = alias));
      });
      replaced = await this.index.update((entries) => {
        const previous: string[] = [];
        secrets.forEach(({ name, tags }, i) => {
          const old = entries.get(name)?.alias;
          if (old && old !== aliases[i]) previous.push(old);
          entries.set(name, { alias: aliases[i], tags: { ...tags } });
        });
        return previous;
      });
    } catch (error) {
      await this.deleteQuietly(created);
      throw error;
    }
    await this.deleteQuietly(replaced);
  }

  /** Atomic under the index lock; an entry whose alias VGS no longer knows counts as absent. */
  async createIfAbsent(
    name: string,
    value: string,
    tags: Readonly<Record<string, string>>,
  ): Promise<boolean> {
    const existing = (await this.index.read()).get(name);
    if (existing && (await this.http.reveal(existing.alias)) !== undefined) return false;
    const stale = existing?.alias;
    const [alias] = await this.http.create([value], CLASSIFIERS);
    let created: boolean;
    try {
      created = await this.index.update((entries) => {
        const current = entries.get(name);
        if (current && current.alias !== stale) return false;
        entries.set(name, { alias, tags: { ...tags } });
        return true;
      });
    } catch (error) {
      await this.http.delete(alias).catch(() => undefined);
      throw error;
    }
    if (!created) await this.http.delete(alias).catch(() => undefined);
    return created;
  }

  private async deleteQuietly(aliases: string[]): Promise<void> {
    await forEachBounded(aliases, REQUESTS_IN_FLIGHT, (alias) =>
      this.http.delete(alias).catch(() => undefined),
    );
  }

  async delete(name: string): Promise<void> {
    const entry = (await this.index.read()).get(name);
    if (!entry) return;
    await this.http.delete(entry.alias);
    await this.index.update((entries) => {
      if (entries.get(name)?.alias === entry.alias) entries.delete(name);
    });
  }

  async *list(
    prefix: string,
    tags: Readonly<Record<string, string>> = {},
  ): AsyncIterable<{ name: string; tags: Record<string, string> }> {
    const entries = await this.index.read();
    const wanted = Object.entries(tags);
    for (const [name, entry] of entries) {
      if (name.startsWith(prefix) && wanted.every(([key, value]) => entry.tags[key] === value))
        yield { name, tags: { ...entry.tags } };
    }
  }
}
