import { KmsError } from '@kms/common';

export class UnsupportedChainError extends KmsError {
  constructor(chain: string, supported: readonly string[]) {
    super(
      'UNSUPPORTED_CHAIN',
      `Unsupported chain ${JSON.stringify(chain)}; supported: ${supported.join(', ')}`,
    );
  }
}

export class InvalidMnemonicError extends KmsError {
  constructor(reason = 'not a valid BIP39 mnemonic (unknown word or bad checksum)') {
    super('INVALID_MNEMONIC', `Invalid mnemonic: ${reason}`);
  }
}

export class InvalidPrivateKeyError extends KmsError {
  constructor(chain: string, expected: string) {
    super('INVALID_PRIVATE_KEY', `Invalid private key for ${chain}: expected ${expected}`);
  }
}

export class InvalidIndexError extends KmsError {
  constructor(detail: string) {
    super('INVALID_INDEX', detail);
  }
}

export class DuplicateChainSignerError extends KmsError {
  constructor(chain: string) {
    super('DUPLICATE_CHAIN_SIGNER', `Two signers are registered for chain ${chain}`);
  }
}

/** A signer whose declaration cannot be used (e.g. no valid `tatum.broadcastPath`): the boot stops. */
export class InvalidChainSignerError extends KmsError {
  constructor(chain: string, detail: string) {
    super('INVALID_CHAIN_SIGNER', `The signer of chain ${chain} ${detail}`);
  }
}

/** An xpub that is malformed, of another chain or network, or missing where one is needed. Never echoed. */
export class InvalidXpubError extends KmsError {
  constructor(reason: string, cause?: unknown) {
    super('INVALID_XPUB', `Invalid xpub: ${reason}`, { cause });
  }
}

/** A serializedTransaction that cannot be parsed, or that does not match its own claims (e.g. `hash`). */
export class InvalidTransactionError extends KmsError {
  constructor(chain: string, detail: string) {
    super('INVALID_PENDING_TX', `Invalid ${chain} pending transaction: ${detail}`);
  }
}

/** A node or API answer that signing needs (nonce, gas price, estimate, block...) that is not usable. */
export class InvalidNetworkAnswerError extends KmsError {
  constructor(chain: string, what: string) {
    super('INVALID_NETWORK_ANSWER', `The ${chain} network returned an unusable ${what}`);
  }
}
