import { KmsError, safeErrorMessage } from '@kms/common';

/** Writes one result as tatum-kms does: pretty JSON (2 spaces) on stdout. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** `{"error": "..."}` on stderr and a failing exit code; no stack trace unless debugging. */
export function printError(error: unknown, debug = false): void {
  process.stderr.write(`${JSON.stringify({ error: safeErrorMessage(error) })}\n`);
  if (debug && error instanceof Error && !(error instanceof KmsError))
    process.stderr.write(`${error.stack}\n`);
  process.exitCode = 1;
}
