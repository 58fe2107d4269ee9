import { Inject, Injectable } from '@nestjs/common';
import { KmsError, safeErrorMessage } from '@kms/common';
import { CLI_IO, type CliIo } from './cli-io';

/**
 * What a command prints: results on stdout (JSON as tatum-kms prints it), notices and errors on
 * stderr, and the exit code of the run (0 unless something failed).
 */
@Injectable()
export class CliOutput {
  exitCode = 0;

  constructor(@Inject(CLI_IO) private readonly io: CliIo) {}

  /** One result as tatum-kms prints it: pretty JSON (2 spaces) on stdout. */
  json(value: unknown): void {
    this.io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  /** One compact JSON document per line on stdout. */
  jsonLines(values: readonly unknown[]): void {
    this.io.stdout.write(values.map((value) => `${JSON.stringify(value)}\n`).join(''));
  }

  /** Plain text on stdout (checkconfig's table). */
  text(text: string): void {
    this.io.stdout.write(text);
  }

  /** One line for the user on stderr, so that stdout carries only the result. */
  notice(line: string): void {
    this.io.stderr.write(`${line}\n`);
  }

  /** The stream a progress bar may draw on, when it is a terminal. */
  get progressStream(): CliIo['stderr'] | undefined {
    return this.io.stderr.isTTY ? this.io.stderr : undefined;
  }

  /** `{"error": "..."}` on stderr and a failing exit code; no stack trace unless debugging. */
  error(error: unknown, debug = false): void {
    this.io.stderr.write(`${JSON.stringify({ error: safeErrorMessage(error) })}\n`);
    if (debug && error instanceof Error && !(error instanceof KmsError))
      this.io.stderr.write(`${error.stack}\n`);
    this.exitCode = 1;
  }
}
