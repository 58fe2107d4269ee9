import { setImmediate as nextTick } from 'node:timers/promises';
import type { SecretVault } from './secret-vault.port';

export type VaultOperation = 'get' | 'put' | 'putMany' | 'create' | 'delete' | 'list';

export interface InMemoryVaultOptions {
  /** Offer createIfAbsent (default true), as AWS does; false behaves like Azure (put only). */
  atomicCreate?: boolean;
  /** Offer putMany, 20 secrets per call, as VGS does (default false). */
  batchPuts?: boolean;
  /** Secrets per listing page (default 100). */
  pageSize?: number;
  /** Called before each operation; an error it returns fails that operation (fault injection). */
  fault?: (operation: VaultOperation, name: string) => Error | undefined;
}

interface Secret {
  value: string;
  tags: Record<string, string>;
}

/**
 * A SecretVault in memory, for unit specs and benchmarks of the vault store: every operation is
 * asynchronous (one macrotask), counted in `calls`, recorded in `log`, and may be failed by `fault`;
 * listing pages by 100 like the real services; `maxInFlight` shows the store's concurrency.
 */
export class InMemoryVault implements SecretVault {
  readonly secrets = new Map<string, Secret>();
  readonly log: Array<{ operation: VaultOperation; name: string }> = [];
  calls = 0;
  maxInFlight = 0;
  private inFlight = 0;
  readonly createIfAbsent?: SecretVault['createIfAbsent'];
  readonly putMany?: SecretVault['putMany'];

  constructor(private readonly options: InMemoryVaultOptions = {}) {
    if (options.atomicCreate !== false)
      this.createIfAbsent = (name, value, tags) =>
        this.operation('create', name, () => {
          if (this.secrets.has(name)) return false;
          this.secrets.set(name, { value, tags: { ...tags } });
          return true;
        });
    if (options.batchPuts)
      this.putMany = async (secrets) => {
        const written: string[] = [];
        try {
          for (let start = 0; start < secrets.length; start += 20) {
            const chunk = secrets.slice(start, start + 20);
            await this.operation('putMany', chunk[0].name, () => {
              for (const { name, value, tags } of chunk) {
                this.secrets.set(name, { value, tags: { ...tags } });
                written.push(name);
              }
            });
          }
        } catch (error) {
          for (const name of written) this.secrets.delete(name);
          throw error;
        }
      };
  }

  get(name: string): Promise<string | undefined> {
    return this.operation('get', name, () => this.secrets.get(name)?.value);
  }

  put(name: string, value: string, tags: Readonly<Record<string, string>>): Promise<void> {
    return this.operation('put', name, () => void this.secrets.set(name, { value, tags: { ...tags } }));
  }

  delete(name: string): Promise<void> {
    return this.operation('delete', name, () => void this.secrets.delete(name));
  }

  async *list(
    prefix: string,
    tags: Readonly<Record<string, string>> = {},
  ): AsyncIterable<{ name: string; tags: Record<string, string> }> {
    const pageSize = this.options.pageSize ?? 100;
    const names = [...this.secrets.keys()].filter((name) => name.startsWith(prefix)).sort();
    for (let start = 0; start === 0 || start < names.length; start += pageSize) {
      const page = await this.operation('list', prefix, () =>
        names.slice(start, start + pageSize).flatMap((name) => {
          const secret = this.secrets.get(name);
          const matches = secret && Object.entries(tags).every(([key, value]) => secret.tags[key] === value);
          return matches ? [{ name, tags: { ...secret.tags } }] : [];
        }),
      );
      yield* page;
    }
  }

  describe(): { type: string; location: string } {
    return { type: 'memory', location: 'in-memory vault' };
  }

  /** Names this operation was called with, in order. */
  names(operation: VaultOperation): string[] {
    return this.log.filter((entry) => entry.operation === operation).map((entry) => entry.name);
  }

  private async operation<T>(operation: VaultOperation, name: string, run: () => T): Promise<T> {
    this.calls++;
    this.log.push({ operation, name });
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      await nextTick();
      const fault = this.options.fault?.(operation, name);
      if (fault) throw fault;
      return run();
    } finally {
      this.inFlight--;
    }
  }
}
