import { Injectable } from '@nestjs/common';
import { InvalidArgumentError, KmsError } from '@kms/common';
import {
  InjectPasswordSource,
  InjectResolvedStorage,
  InjectWalletStoreFactory,
  sameEntry,
  WalletNotFoundError,
  type PasswordSource,
  type ResolvedStorage,
  type WalletStoreFactory,
} from '@kms/storage';

export interface MigrationReport {
  migrated: number;
  verified: number;
  from: string;
  to: string;
}

/** Read-backs in flight at once while verifying. */
const VERIFY_CONCURRENCY = 16;

export class MigrationVerifyError extends KmsError {
  constructor(to: string, ids: string[]) {
    const shown = ids.slice(0, 5).join(', ') + (ids.length > 5 ? ` and ${ids.length - 5} more` : '');
    super(
      'MIGRATION_NOT_VERIFIED',
      `${ids.length} wallet(s) read back from the ${to} store differ from the source or are missing (${shown}); the source is unchanged`,
    );
  }
}

/**
 * Copies every wallet of one provider into another under the same signatureId, then proves the copy:
 * a fresh instance of the target (nothing cached) reads each wallet back and it must equal the
 * source's entry. The source is only read. Both stores use the one password source of the run, so
 * the target is (or becomes) protected by the same password; `changepassword` changes it afterwards.
 * A target that already holds a different wallet under one of the ids refuses the whole copy
 * (WALLET_EXISTS) before writing; identical ones are kept, so an interrupted migration can be re-run.
 */
@Injectable()
export class WalletMigrator {
  constructor(
    @InjectWalletStoreFactory() private readonly stores: WalletStoreFactory,
    @InjectPasswordSource() private readonly passwords: PasswordSource,
    @InjectResolvedStorage() private readonly storage: Pick<ResolvedStorage, 'providers'>,
  ) {}

  async migrate(from: string | undefined, to: string | undefined): Promise<MigrationReport> {
    const types = this.storage.providers.map(({ type }) => type);
    const source = storageType(types, from, '--from');
    const target = storageType(types, to, '--to');
    if (source === target)
      throw new InvalidArgumentError(`--from and --to are both ${source}: nothing to migrate`);
    await this.passwords.password();

    const wallets = await step(`Reading the ${source} store`, async () =>
      (await this.stores(source)).export(),
    );
    const ids = Object.keys(wallets);
    await step(`Writing the ${target} store`, async () => (await this.stores(target)).import(wallets));

    const reader = await this.stores(target);
    const bad: string[] = [];
    await step(`Verifying the ${target} store`, () =>
      forEachBounded(ids, VERIFY_CONCURRENCY, async (id) => {
        try {
          if (!sameEntry(await reader.get(id), wallets[id])) bad.push(id);
        } catch (error) {
          if (!(error instanceof WalletNotFoundError)) throw error;
          bad.push(id);
        }
      }),
    );
    if (bad.length) throw new MigrationVerifyError(target, bad);
    return { migrated: ids.length, verified: ids.length, from: source, to: target };
  }
}

function storageType(types: readonly string[], value: string | undefined, flag: string): string {
  const type = value?.toLowerCase();
  if (!type || !types.includes(type))
    throw new InvalidArgumentError(`migrate needs ${flag} <${types.join('|')}>`);
  return type;
}

/** Prefixes our errors with the step that failed, so "wrong password" says which store. */
async function step<T>(what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof KmsError)
      throw new KmsError(error.code, `${what} failed: ${error.message}`, { cause: error });
    throw error;
  }
}

async function forEachBounded<T>(items: T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await task(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
