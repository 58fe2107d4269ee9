/**
 * Base of every error the KMS raises on purpose. `code` is stable and machine-readable; `message` is
 * safe to print: it never contains a mnemonic, private key, password or API key. Edges (the CLI, the
 * daemon's error batch) print `message` only, never a stack.
 */
export class KmsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A message that is safe to show for any thrown value: ours as is, anything else generic. */
export function describeError(error: unknown): string {
  if (error instanceof KmsError) return error.message;
  return 'Unexpected internal error';
}
