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

/** A command-line argument that is missing or malformed. */
export class InvalidArgumentError extends KmsError {
  constructor(message: string) {
    super('INVALID_ARGUMENT', message);
  }
}
