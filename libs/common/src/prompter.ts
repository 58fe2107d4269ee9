import { Inject } from '@nestjs/common';
import { createInterface, Interface } from 'node:readline';
import { KmsError } from './kms-error';

/** The Prompter of the running command (the CLI provides it, reading the command's stdin). */
export const PROMPTER = Symbol('PROMPTER');
export const InjectPrompter = (): ParameterDecorator => Inject(PROMPTER);

/** A readable stream that may be a terminal (stdin). */
export type PromptInput = NodeJS.ReadableStream & { isTTY?: boolean };
/** Where questions go (stderr): a terminal or not. */
export type PromptOutput = NodeJS.WritableStream & { isTTY?: boolean };

export class NoInputError extends KmsError {
  constructor(question: string) {
    super('NO_INPUT', `No input for "${question.replace(/[:\s]+$/, '')}": standard input ended`);
  }
}

/**
 * Asks for secrets (password, mnemonic, private key). On a terminal the answer is typed hidden;
 * when stdin is not a terminal, each question consumes the next line of stdin, so scripts can pipe
 * answers (`printf 'pw\nmnemonic\n' | tatum-kms storemanagedwallet BTC`). Answers are trimmed.
 * Questions go to stderr, so stdout carries only the JSON result.
 */
export class Prompter {
  private lines?: AsyncIterator<string>;
  private reader?: Interface;

  constructor(
    private readonly input: PromptInput = process.stdin,
    private readonly output: PromptOutput = process.stderr,
  ) {}

  async secret(question: string): Promise<string> {
    if (this.input.isTTY) {
      const { read } = await import('read');
      // terminal: true keeps the terminal in raw mode (no echo) even when stderr is not the terminal
      const answer = await read({
        prompt: question,
        silent: true,
        replace: '*',
        terminal: true,
        input: this.input,
        output: this.output,
      });
      return answer.trim();
    }
    return this.nextLine(question);
  }

  /**
   * Asks an open question (a confirmation): typed visibly on a terminal, else the next line of stdin.
   * Undefined when stdin has ended, so a caller can fall back to its default.
   */
  async ask(question: string): Promise<string | undefined> {
    if (this.input.isTTY) {
      const { read } = await import('read');
      const answer = await read({ prompt: question, terminal: true, input: this.input, output: this.output });
      return answer.trim();
    }
    try {
      return await this.nextLine(question);
    } catch (error) {
      if (error instanceof NoInputError) return undefined;
      throw error;
    }
  }

  /** Releases stdin so the process can exit. */
  close(): void {
    this.reader?.close();
  }

  private async nextLine(question: string): Promise<string> {
    if (!this.lines) {
      this.reader = createInterface({ input: this.input, terminal: false, crlfDelay: Infinity });
      this.lines = this.reader[Symbol.asyncIterator]();
    }
    const { value, done } = await this.lines.next();
    if (done) throw new NoInputError(question);
    return String(value).trim();
  }
}
