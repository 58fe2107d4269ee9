import { KmsError } from './kms-error';

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
 * because third-party messages may quote their input (a key, a mnemonic).
 */
export function safeErrorMessage(error: unknown): string {
  if (error instanceof KmsError) return error.message;
  const system = error as NodeJS.ErrnoException;
  if (system && typeof system.code === 'string' && SYSTEM_ERRORS[system.code]) {
    return `${SYSTEM_ERRORS[system.code]}${system.path ? `: ${system.path}` : ''}`;
  }
  return 'Unexpected internal error (set TATUM_KMS_DEBUG_MODE=true for details)';
}
