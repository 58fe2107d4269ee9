import type { SigningJournal } from '../journal.port';
import { TxSealer } from './tx-sealer';

/** What resealJournal did: ids re-sealed now, and ids whose value opened with neither password. */
export interface JournalReseal {
  resealed: number;
  unopened: number;
}

/** The replica name `resealed` entries carry. */
export const RESEAL_REPLICA = 'changepassword';

/**
 * Re-seals every signed transaction of `journal` from `oldPassword` to `newPassword` (one transaction
 * in the journal; nothing when both are the same). A value that opens with the old password is sealed anew with the new one; one that
 * already opens with the new password (an earlier, interrupted run) is left alone; one that opens with
 * neither (damaged, or of a password older still) is left alone and counted in `unopened`: the daemon
 * keeps refusing it as unreadable. No password or transaction appears in what this returns or throws.
 */
export async function resealJournal(
  journal: SigningJournal,
  oldPassword: string,
  newPassword: string,
): Promise<JournalReseal> {
  const [before, after] = await Promise.all([
    TxSealer.fromPassword(oldPassword),
    TxSealer.fromPassword(newPassword),
  ]);
  let unopened = 0;
  // the same password again (finishing a vault rotation that was interrupted): nothing to re-seal
  const same = oldPassword === newPassword;
  const resealed = await journal.resealAll(async (sealedTx, binding) => {
    let plain: string;
    try {
      plain = await before.open(sealedTx, binding);
      if (same) return sealedTx;
    } catch {
      const done = await after.open(sealedTx, binding).then(
        () => true,
        () => false,
      );
      if (!done) unopened++;
      return sealedTx;
    }
    return after.seal(plain, binding);
  }, RESEAL_REPLICA);
  return { resealed, unopened };
}
