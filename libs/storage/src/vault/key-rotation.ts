import { CorruptStoreError } from '../storage.errors';
import type { WalletEntry } from '../wallet-entry';
import { forEachBounded, mapBounded } from './bounded';
import {
  parseDataKeyRecord,
  DATA_KEY_TAGS,
  sameDataKey,
  sealDataKeyRecord,
  type DataKeyRecord,
  type VaultKeys,
} from './data-key-record';
import type { SecretVault } from './secret-vault.port';
import { openWalletSecret, readWalletSecret } from './vault-secret.codec';

/**
 * Data key rotation of a vault store (changepassword). A vault cannot replace many secrets in one
 * atomic write, so the change is a sequence of steps, each safe to interrupt and to repeat.
 *
 * Secrets involved:
 * - `<prefix>data-key`: the record of generation g (data-key-record.ts), K_g wrapped by the current
 *   password; flagged `rotating` while a change is in progress.
 * - `<prefix>data-key-next`: only during a change, the record of generation g+1: K_{g+1} wrapped by
 *   the new password, and K_0..K_g sealed under K_{g+1}.
 * - `<prefix><id>`: each wallet, naming the generation whose key sealed it (vault-secret.codec.ts).
 *
 * changePassword(new), by the store:
 * 1. Unlock with the current password: K_g.
 * 2. Create data-key-next (atomically where the vault can). If it exists already, it must open with
 *    `new` (the same change, interrupted before step 3: resume it); otherwise the change is refused.
 * 3. Flag data-key `rotating`: from now on every process that unlocks looks at data-key-next.
 * 4. (here) Re-encrypt every wallet not yet of generation g+1: read it, open it with its generation's
 *    key, seal it under K_{g+1}, write it back; in chunks, with bounded concurrency. Then list again
 *    and do the same for wallets added meanwhile, until a listing brings no new name.
 * 5. (here) Switch: data-key := the record of g+1 (the flag is gone with it); delete data-key-next.
 *
 * No step loses a wallet: a secret is replaced by a value of the same entry (never deleted), and is
 * at every moment sealed under K_g or K_{g+1}, both reachable with the new password from step 2 on
 * (K_g through the sealed older keys). The old password is refused while the flag is set and opens
 * nothing after step 5. A crash or a vault error leaves a state that the next run completes:
 * - between 2 and 3: data-key-next is unused, the old password still works; changepassword again with
 *   the same new password resumes at step 3.
 * - during 4 (flagged): unlocking with the new password runs steps 4 and 5 (any command does), and so
 *   does changepassword with the old or the new password as the current one and the same new one.
 * - between the put and the delete of 5: data-key is generation g+1 and a leftover data-key-next of
 *   the same generation is removed by the next changepassword.
 * Wallets keep their value until rewritten, so a process that unlocked before the change still reads
 * the ones not yet re-encrypted; one that writes a wallet after step 4 listed the names seals it under
 * K_g: it stays readable (K_g is kept, sealed under K_{g+1}) and the next change re-encrypts it.
 * Concurrent password changes: on AWS and VGS the atomic create of data-key-next lets one win; on
 * Azure (put, then read back) two changes started in the same instant are not reliably told apart.
 */

/** What the rotation needs of the store. */
export interface RotationContext {
  readonly vault: SecretVault;
  readonly keyName: string;
  readonly nextKeyName: string;
  readonly concurrency: number;
  /** The names of the store's wallet secrets and their ids (from the listing; no value is read). */
  walletSecrets(): AsyncIterable<{ name: string; id: string }>;
  /** The secret (name, value, tags) of `entry` sealed under `keys`' current generation. */
  seal(id: string, entry: WalletEntry, keys: VaultKeys): SecretWrite;
}

/** Secrets read and rewritten per chunk: a chunk's writes go out together (one putMany on VGS). */
const CHUNK = 100;
/** Listings after the first that look for wallets added during the rotation. */
const MAX_PASSES = 5;

/** Wallets under the new key at the end, and damaged ones left as they were. */
export interface RotationOutcome {
  wallets: number;
  unreadable: number;
}

/**
 * Steps 4 and 5: re-encrypts every wallet under `next` (the keys of data-key-next), then switches
 * the data key record from `from` (the flagged record of the previous generation) to `next`.
 * Idempotent; throws on the first vault failure, leaving a state that a repeated call completes. A
 * wallet whose secret cannot be decrypted (damaged, or sealed by a key this store never had) is left
 * as it is and counted, so that one damaged secret cannot block the change forever.
 */
export async function finishRotation(
  ctx: RotationContext,
  from: DataKeyRecord,
  next: VaultKeys,
): Promise<RotationOutcome> {
  const seen = new Set<string>();
  let wallets = 0;
  let unreadable = 0;
  for (let pass = 0; pass <= MAX_PASSES; pass++) {
    const fresh: Array<{ name: string; id: string }> = [];
    for await (const secret of ctx.walletSecrets()) if (!seen.has(secret.name)) fresh.push(secret);
    if (fresh.length === 0) break;
    for (let start = 0; start < fresh.length; start += CHUNK) {
      const chunk = fresh.slice(start, start + CHUNK);
      const outcomes = await mapBounded(chunk, ctx.concurrency, (secret) => reencrypted(ctx, secret, next));
      await writeAll(
        ctx,
        outcomes.filter((outcome): outcome is SecretWrite => typeof outcome === 'object'),
      );
      for (const { name } of chunk) seen.add(name);
      wallets += outcomes.filter((outcome) => outcome === 'done' || typeof outcome === 'object').length;
      unreadable += outcomes.filter((outcome) => outcome === 'unreadable').length;
    }
  }
  await switchRecord(ctx, from, next);
  return { wallets, unreadable };
}

type SecretWrite = { name: string; value: string; tags: Record<string, string> };

/**
 * The wallet sealed under `next`; 'done' if it already is, 'gone' if it was removed meanwhile,
 * 'unreadable' if it cannot be decrypted.
 */
async function reencrypted(
  ctx: RotationContext,
  { name, id }: { name: string; id: string },
  next: VaultKeys,
): Promise<SecretWrite | 'done' | 'gone' | 'unreadable'> {
  const value = await ctx.vault.get(name);
  if (value === undefined) return 'gone';
  try {
    const sealed = readWalletSecret(value, id);
    if (sealed.generation >= next.generation) return 'done';
    const key = next.byGeneration.get(sealed.generation);
    if (!key) return 'unreadable';
    return ctx.seal(id, openWalletSecret(sealed, name, key, id), next);
  } catch (error) {
    if (error instanceof CorruptStoreError) return 'unreadable';
    throw error;
  }
}

/** Overwrites; never deletes (a failed write leaves the previous value, which is still readable). */
async function writeAll(ctx: RotationContext, writes: SecretWrite[]): Promise<void> {
  if (writes.length === 0) return;
  if (ctx.vault.putMany) return ctx.vault.putMany(writes);
  await forEachBounded(writes, ctx.concurrency, ({ name, value, tags }) => ctx.vault.put(name, value, tags));
}

/**
 * Step 5, written only if data-key is still the flagged record this rotation started from (another
 * process may have finished it first), and data-key-next deleted only if it is still this rotation's.
 */
async function switchRecord(ctx: RotationContext, from: DataKeyRecord, next: VaultKeys): Promise<void> {
  const current = await readRecord(ctx, ctx.keyName);
  if (current?.rotating && sameDataKey(current, from))
    await ctx.vault.put(ctx.keyName, sealDataKeyRecord(next.record), DATA_KEY_TAGS);
  const pending = await readRecord(ctx, ctx.nextKeyName);
  if (pending && sameDataKey(pending, next.record)) await ctx.vault.delete(ctx.nextKeyName);
}

/** The parsed record secret `name`, or undefined if it does not exist. */
export async function readRecord(ctx: RotationContext, name: string): Promise<DataKeyRecord | undefined> {
  const text = await ctx.vault.get(name);
  return text === undefined ? undefined : parseDataKeyRecord(text, name);
}
