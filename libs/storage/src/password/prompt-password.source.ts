import type { Prompter } from '@kms/common';
import { PasswordRequiredError } from '../storage.errors';
import type { PasswordSource } from '../wallet-store.port';

/** Asks for the password (hidden on a terminal, a line of stdin otherwise), at most once per run. */
export class PromptPasswordSource implements PasswordSource {
  readonly origin = 'prompt';
  private answer?: Promise<string>;

  constructor(private readonly prompter: Prompter) {}

  password(): Promise<string> {
    this.answer ??= this.prompter.secret('Enter password to access wallet store: ').then((value) => {
      if (!value) throw new PasswordRequiredError('An empty password is not allowed');
      return value;
    });
    return this.answer;
  }
}
