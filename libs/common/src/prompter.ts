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

/** Ctrl-C (or Ctrl-D) at a question on a terminal: the command stops and nothing is changed. */
export class PromptCancelledError extends KmsError {
  constructor(question: string) {
    super(
      'PROMPT_CANCELLED',
      `Cancelled at "${question.replace(/[:?\s[\]yN/]+$/, '')}"; nothing was changed`,
    );
  }
}

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

  /** True when answers are typed on a terminal (not piped by a script). */
  get interactive(): boolean {
    return Boolean(this.input.isTTY);
  }

  async secret(question: string): Promise<string> {
    if (this.input.isTTY) {
      // terminal: true keeps the terminal in raw mode (no echo) even when stderr is not the terminal
      return this.readTerminal(question, { silent: true, replace: '*' });
    }
    return this.nextLine(question);
  }

  /**
   * Asks an open question (a confirmation): typed visibly on a terminal, else the next line of stdin.
   * Undefined when stdin has ended, so a caller can fall back to its default.
   */
  async ask(question: string): Promise<string | undefined> {
    if (this.input.isTTY) return this.readTerminal(question, {});
    try {
      return await this.nextLine(question);
    } catch (error) {
      if (error instanceof NoInputError) return undefined;
      throw error;
    }
  }

  /**
   * One answer typed on the terminal. Ctrl-C is a PromptCancelledError, not a crash; so is Ctrl-D on an
   * empty line, which closes the terminal reader without an answer: nothing is left for the process to
   * wait on, and Node's 'beforeExit' says so.
   */
  private async readTerminal(
    question: string,
    options: { silent?: boolean; replace?: string },
  ): Promise<string> {
    const { read } = await import('read');
    let abandoned: (() => void) | undefined;
    const closed = new Promise<never>((_, reject) => {
      abandoned = () => reject(new Error('EOF'));
      process.once('beforeExit', abandoned);
    });
    try {
      const answer = read({
        prompt: question,
        terminal: true,
        input: this.input,
        output: this.output,
        ...options,
      });
      return (await Promise.race([answer, closed])).trim();
    } catch (error) {
      // `read` rejects with Error('canceled') on Ctrl-C
      if (error instanceof Error && /^(canceled|EOF)$/.test(error.message)) {
        this.output.write('\n');
        throw new PromptCancelledError(question);
      }
      throw error;
    } finally {
      if (abandoned) process.off('beforeExit', abandoned);
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
