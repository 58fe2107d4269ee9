/** Human-readable reason for a failed file operation: the errno meaning, never file contents. */
export function ioErrorReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOSPC':
      return 'no space left on device';
    case 'EDQUOT':
      return 'disk quota exceeded';
    case 'EROFS':
      return 'read-only file system';
    case 'EISDIR':
      return 'a directory is in the way';
    case 'ENOTDIR':
      return 'a path component is not a directory';
    case 'EEXIST':
      return 'a file is in the way';
    case 'ELOCKED':
      return 'it is locked by another process';
    case 'ECOMPROMISED':
      return 'the lock was lost while writing';
    case 'EIO':
      return 'input/output error';
    default:
      return code ? `I/O error ${code}` : 'I/O error';
  }
}
