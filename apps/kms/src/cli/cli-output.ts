import { KmsError } from '@kms/common';

/** Writes one result as tatum-kms does: pretty JSON (2 spaces) on stdout. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Node system errors carry only a code, a syscall and a path: safe to show, and useful. */
const SYSTEM_ERRORS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOSPC: 'no space left on device',
  EROFS: 'read-only file system',
  ENOENT: 'no such file or directory',
  EISDIR: 'is a directory',
  ENOTDIR: 'not a directory',
  EDQUOT: 'disk quota exceeded',
};

/**
 * The one message shown for any failure. Our errors (KmsError) are written to be shown; system
 * errors are described by code and path; anything else is not shown verbatim, because third-party
 * messages may quote their input (a key, a mnemonic).
 */
export function errorMessage(error: unknown): string {
  if (error instanceof KmsError) return error.message;
  const system = error as NodeJS.ErrnoException;
  if (system && typeof system.code === 'string' && SYSTEM_ERRORS[system.code]) {
    return `${SYSTEM_ERRORS[system.code]}${system.path ? `: ${system.path}` : ''}`;
  }
  return 'Unexpected internal error (set TATUM_KMS_DEBUG_MODE=true for details)';
}

/** `{"error": "..."}` on stderr and a failing exit code; no stack trace unless debugging. */
export function printError(error: unknown, debug = false): void {
  process.stderr.write(`${JSON.stringify({ error: errorMessage(error) })}\n`);
  if (debug && error instanceof Error && !(error instanceof KmsError)) process.stderr.write(`${error.stack}\n`);
  process.exitCode = 1;
}
