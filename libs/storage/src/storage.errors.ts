import { KmsError, safeErrorMessage } from '@kms/common';

export class WrongPasswordError extends KmsError {
  constructor() {
    super('WRONG_PASSWORD', 'Wrong password: the wallet store could not be decrypted');
  }
}

export class WalletNotFoundError extends KmsError {
  constructor(id: string) {
    super('WALLET_NOT_FOUND', `No such wallet: ${id}`);
  }
}

export class CorruptStoreError extends KmsError {
  /** `subject` names what `location` is: the wallet file, or one wallet or secret of a vault store. */
  constructor(location: string, detail: string, cause?: unknown, subject = 'Wallet file') {
    super('CORRUPT_STORE', `${subject} ${location} is damaged: ${detail}`, { cause });
  }
}

/** import() found a wallet under the same signatureId with different contents; nothing was imported. */
export class WalletExistsError extends KmsError {
  constructor(ids: readonly string[]) {
    const shown = ids.slice(0, 5).join(', ') + (ids.length > 5 ? ` and ${ids.length - 5} more` : '');
    super(
      'WALLET_EXISTS',
      `The target store already holds different wallets under the same signatureId (${shown}); nothing was imported`,
    );
  }
}

export class UnknownStoreFormatError extends KmsError {
  constructor(location: string) {
    super('UNKNOWN_STORE_FORMAT', `${location} is not a wallet file written by this KMS or by tatum-kms`);
  }
}

export class StoreWriteError extends KmsError {
  constructor(location: string, reason: string, cause?: unknown) {
    super(
      'STORE_WRITE_FAILED',
      `Could not write the wallet file ${location}: ${reason}; nothing was changed`,
      {
        cause,
      },
    );
  }
}

export class PasswordRequiredError extends KmsError {
  constructor(detail: string) {
    super('PASSWORD_REQUIRED', detail);
  }
}

/** The store exists but could not be read (permissions, I/O). Distinct from a wrong password or damage. */
export class StoreReadError extends KmsError {
  constructor(location: string, reason: string, cause?: unknown) {
    super('STORE_READ_FAILED', `Could not read the wallet file ${location}: ${reason}`, { cause });
  }
}

/** A managed vault (AWS, Azure, VGS) failed: unreachable, refused the credentials, throttled too long. */
export class VaultError extends KmsError {
  constructor(vault: string, detail: string, cause?: unknown) {
    super('VAULT_ERROR', `${vault}: ${detail}`, { cause });
  }
}

/**
 * A password change of a vault store is pending and this password or this change cannot go on with
 * it. `started` is set when wallets may already be re-encrypted under the pending key (the data key
 * record is flagged), else nothing uses it yet. Names the secret of the pending key, never a key.
 */
export class PasswordChangePendingError extends KmsError {
  constructor(nextKeyName: string, started: boolean) {
    super(
      'PASSWORD_CHANGE_PENDING',
      started
        ? 'A password change of this wallet store is in progress or was interrupted: use the new password ' +
            '(the next command finishes the change), or run changepassword again with the same new password'
        : `Another password change of this wallet store was started and has not finished (secret ${nextKeyName} holds its new data key): ` +
            'run changepassword again with that new password; if it is lost and no change is running, ' +
            `delete ${nextKeyName} (no wallet is encrypted under it yet) and try again`,
    );
  }
}

/** Another password change of a vault store finished while this one started; this one changed nothing. */
export class PasswordChangeConflictError extends KmsError {
  constructor() {
    super(
      'PASSWORD_CHANGE_CONFLICT',
      'Another password change of this wallet store finished while this one was starting; nothing was changed: run changepassword again with the password now in force',
    );
  }
}

/** A vault store's data key rotation stopped part-way (a vault failure); every wallet is still readable. */
export class PasswordChangeInterruptedError extends KmsError {
  constructor(cause: unknown) {
    super(
      'PASSWORD_CHANGE_INTERRUPTED',
      `The password change stopped part-way (${safeErrorMessage(cause)}); no wallet was lost: ` +
        'run changepassword again with the same new password (or any command with the new password) to finish it',
      { cause },
    );
  }
}
