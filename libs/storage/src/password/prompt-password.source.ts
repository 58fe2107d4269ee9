import { KmsError, type Prompter } from '@kms/common';
import { PasswordRequiredError } from '../storage.errors';
import type { PasswordSource } from '../wallet-store.port';

const QUESTION = 'Enter password to access wallet store: ';
const REPEAT = 'Repeat the password of the new wallet store: ';

/** The two answers for the password of a new store differ: nothing was created. */
export class PasswordMismatchError extends KmsError {
  constructor() {
    super('PASSWORD_MISMATCH', 'The two passwords for the new wallet store differ; nothing was created');
  }
}

/**
 * Asks for the password (hidden on a terminal, a line of stdin otherwise), at most once per run.
 * When the store does not exist yet (`isNewStore`) and the answer is typed on a terminal, the password
 * is asked twice: a typo would otherwise seal every wallet created under it with a password nobody
 * knows. Two different answers are PasswordMismatchError, so nothing is written. Piped answers
 * (scripts) are read once, as tatum-kms reads them. Ctrl-C at either question is PROMPT_CANCELLED.
 */
export class PromptPasswordSource implements PasswordSource {
  readonly origin = 'prompt';
  private answer?: Promise<string>;

  constructor(
    private readonly prompter: Prompter,
    private readonly isNewStore: () => Promise<boolean> = async () => false,
  ) {}

  password(): Promise<string> {
    this.answer ??= this.ask();
    return this.answer;
  }

  private async ask(): Promise<string> {
    const confirm = this.prompter.interactive && (await this.isNewStore());
    const value = await this.prompter.secret(QUESTION);
    if (!value) throw new PasswordRequiredError('An empty password is not allowed');
    if (confirm && (await this.prompter.secret(REPEAT)) !== value) throw new PasswordMismatchError();
    return value;
  }
}
