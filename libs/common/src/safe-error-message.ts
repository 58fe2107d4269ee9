import { KmsError } from './kms-error';
import { printable } from './printable';

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
 * The one message shown (CLI) or reported (daemon) for any failure. Our errors (KmsError) are written
 * to be shown; system errors are described by code and path; anything else is not shown verbatim,
 * because third-party messages may quote their input (a key, a mnemonic). The message is always one
 * line: control characters (which an id or a node's message from outside may carry) are escaped.
 */
export function safeErrorMessage(error: unknown): string {
  if (error instanceof KmsError) return printable(error.message, Infinity);
  const system = error as NodeJS.ErrnoException;
  if (system && typeof system.code === 'string' && SYSTEM_ERRORS[system.code]) {
    return printable(`${SYSTEM_ERRORS[system.code]}${system.path ? `: ${system.path}` : ''}`, Infinity);
  }
  return 'Unexpected internal error (set TATUM_KMS_DEBUG_MODE=true for details)';
}
