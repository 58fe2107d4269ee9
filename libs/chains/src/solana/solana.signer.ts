import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { ChainSigner as ChainSignerProvider } from '../chain-signer.decorator';
import type {
  ChainSigner,
  DescribeRequest,
  KeyPair,
  ResubmitRequest,
  SignRequest,
  TransactionSigner,
  TransactionSummary,
} from '../chain-signer.port';
import { InvalidMnemonicError } from '../chains.errors';
import { assertDerivationIndex } from '../hd/derivation-index';
import { canonicalMnemonic, mnemonicToSeed } from '../hd/mnemonic';
import { slip10Ed25519 } from '../hd/slip10-ed25519';
import { parseSolanaSecretKey, solanaKeyPair, solanaPath } from './solana-keys';
import {
  earlierOutcome,
  latestBlockhash,
  type SolanaConfirmationOptions,
  submitAndConfirm,
} from './solana-node';
import { SolanaSubmissionError } from './solana.errors';
import { describeSolanaTransaction } from './solana.describe';
import { draftSolanaTransaction } from './solana-transaction';
import type { TatumApiDeclaration } from '../chain-network.port';

/** Optional settings of SolanaSigner (Nest: provide them under SOLANA_SIGNER_OPTIONS). */
export interface SolanaSignerOptions {
  /** How long to wait for a submitted transaction to be confirmed; 60 s by default. */
  confirmationTimeoutMs?: number;
  /** Pause between two status requests while waiting; 1 s by default. */
  pollIntervalMs?: number;
}

export const SOLANA_SIGNER_OPTIONS = Symbol('SOLANA_SIGNER_OPTIONS');

/**
 * SOL wallets. Tatum (and tatum-kms) make SOL wallets as random key pairs, so that is the native model;
 * mnemonic wallets are supported too, derived with SLIP-10 ed25519 at m/44'/501'/0'/0'/{i}' as Tatum's
 * SDK v2 does. They have no xpub: addresses come from the mnemonic. The network does not change keys.
 *
 * Signing mirrors tatum-kms (docs/tatum-protocol.md §5): the message gets a fresh blockhash from the node, is
 * signed by the key of every wallet the pending transaction names (a transfer with a separate fee
 * payer names two) and mintPK, submitted to the node by us and awaited until confirmed;
 * the txData returned is the transaction signature, which the pipeline hands to /v3/solana/broadcast.
 * A transaction sent for a pending id and not seen confirmed (timeout, lost answer) is checked before
 * anything new is sent for that id: never two transfers for one pending transaction (in this process).
 */
@ChainSignerProvider('SOL')
@Injectable()
export class SolanaSigner implements ChainSigner, TransactionSigner {
  readonly chain = 'SOL';
  /** tatum-kms 8.0.1 sends its off-chain withdrawals to this same broadcast (src/signatures.ts). */
  readonly tatum: TatumApiDeclaration = { broadcastPath: 'solana', offchainWithdrawals: false };
  readonly walletModel = 'keyPair' as const;
  /** Every named wallet signs, as tatum-kms passes every resolved key to the SDK's `kms.sign`. */
  readonly signsWith = 'everyKey' as const;
  readonly submitsItself = true;
  private readonly confirmation: SolanaConfirmationOptions;
  /** Per pending id, the transaction sent and not yet seen confirmed or gone (never sent twice). */
  private readonly submissions = new Map<string, { signature: string; lastValidBlockHeight: number }>();

  constructor(@Optional() @Inject(SOLANA_SIGNER_OPTIONS) options: SolanaSignerOptions = {}) {
    this.confirmation = {
      timeoutMs: options.confirmationTimeoutMs ?? 60_000,
      pollIntervalMs: options.pollIntervalMs ?? 1_000,
    };
  }

  /**
   * Everything in the request is checked before the node is asked anything. Throws
   * InvalidTransactionError / InvalidPrivateKeyError for bad input, SolanaSubmissionError when the
   * transaction is not confirmed, and whatever the network raises for a rejected submission.
   */
  async signTransaction(request: SignRequest): Promise<string> {
    const draft = await draftSolanaTransaction(request.serializedTransaction, request.keys);
    const { pendingId } = request;
    const earlier = pendingId === undefined ? undefined : this.submissions.get(pendingId);
    if (earlier) {
      const outcome = await earlierOutcome(
        request.network,
        earlier.signature,
        earlier.lastValidBlockHeight,
      ).catch((error: unknown) => {
        if (error instanceof SolanaSubmissionError && error.failure === 'FAILED') this.forget(pendingId);
        throw error;
      });
      this.forget(pendingId);
      if (outcome === 'confirmed') return earlier.signature;
    }
    const { blockhash, lastValidBlockHeight } = await latestBlockhash(request.network);
    const signed = draft.sign(blockhash);
    // Recorded (the daemon's journal) before it can reach the chain: a restart resends these bytes.
    await request.beforeSubmit?.({
      signedTx: JSON.stringify({
        wire: signed.wire.toString('base64'),
        signature: signed.signature,
        lastValidBlockHeight,
      }),
      txId: signed.signature,
    });
    // Remembered before sending: an answer that does not come may hide a transaction that lands.
    if (pendingId !== undefined) {
      this.submissions.set(pendingId, { signature: signed.signature, lastValidBlockHeight });
    }
    try {
      await submitAndConfirm(request.network, signed, lastValidBlockHeight, this.confirmation);
    } catch (error) {
      // FAILED and EXPIRED are final; anything else may still land and is checked first next time.
      if (
        error instanceof SolanaSubmissionError &&
        (error.failure === 'FAILED' || error.failure === 'EXPIRED')
      ) {
        this.forget(pendingId);
      }
      throw error;
    }
    this.forget(pendingId);
    return signed.signature;
  }

  /**
   * A transaction recorded through beforeSubmit: its signature once confirmed (sent again, same
   * bytes, while the node has not seen it and its blockhash is valid). SolanaSubmissionError FAILED
   * when it failed on chain, EXPIRED when it can no longer land (it is never signed again: the
   * pending transaction needs an operator), TIMEOUT while it may still land.
   */
  async resubmit(signedTx: string, request: ResubmitRequest): Promise<string> {
    const recorded = parseRecorded(signedTx);
    let outcome: 'confirmed' | 'gone';
    try {
      outcome = await earlierOutcome(request.network, recorded.signature, recorded.lastValidBlockHeight);
    } catch (error) {
      if (!(error instanceof SolanaSubmissionError && error.failure === 'TIMEOUT')) throw error;
      // not seen confirmed and still valid: perhaps never sent (a process killed in between)
      await submitAndConfirm(
        request.network,
        { wire: Buffer.from(recorded.wire, 'base64'), signature: recorded.signature },
        recorded.lastValidBlockHeight,
        this.confirmation,
      );
      return recorded.signature;
    }
    if (outcome === 'confirmed') return recorded.signature;
    throw new SolanaSubmissionError(
      'EXPIRED',
      recorded.signature,
      'the transaction recorded for this pending transaction expired before it landed; it is never signed again, so the pending transaction needs an operator',
    );
  }

  private forget(pendingId: string | undefined): void {
    if (pendingId !== undefined) this.submissions.delete(pendingId);
  }

  /** See describeSolanaTransaction (solana.describe.ts): the message signTransaction signs. */
  describe(request: DescribeRequest): Promise<TransactionSummary> {
    return describeSolanaTransaction(request);
  }

  async generateWallet(): Promise<KeyPair> {
    return this.generateKeyPair();
  }

  async walletFromMnemonic(mnemonic: string): Promise<{ mnemonic: string }> {
    return { mnemonic: canonicalMnemonic(mnemonic) };
  }

  async deriveAddress(wallet: { mnemonic?: string; xpub?: string }, index: number): Promise<string> {
    assertDerivationIndex(index);
    if (wallet.mnemonic === undefined) {
      throw new InvalidMnemonicError('SOL addresses are derived from the mnemonic, and the wallet has none');
    }
    return (await this.deriveKeyPair(wallet.mnemonic, index)).address;
  }

  async derivePrivateKey(mnemonic: string, index: number): Promise<string> {
    assertDerivationIndex(index);
    return (await this.deriveKeyPair(mnemonic, index)).privateKey;
  }

  async generateKeyPair(): Promise<KeyPair> {
    return this.keyPairOf(randomBytes(32));
  }

  async importPrivateKey(privateKey: string): Promise<KeyPair> {
    return this.keyPairOf(parseSolanaSecretKey(privateKey));
  }

  private async deriveKeyPair(mnemonic: string, index: number): Promise<KeyPair> {
    const seed = await mnemonicToSeed(canonicalMnemonic(mnemonic));
    try {
      return this.keyPairOf(slip10Ed25519(seed, solanaPath(index)));
    } finally {
      seed.fill(0);
    }
  }

  private keyPairOf(ed25519Seed: Uint8Array): KeyPair {
    try {
      return solanaKeyPair(ed25519Seed);
    } finally {
      ed25519Seed.fill(0);
    }
  }
}

function parseRecorded(signedTx: string): { wire: string; signature: string; lastValidBlockHeight: number } {
  const recorded = parseJsonObject(signedTx) as {
    wire?: unknown;
    signature?: unknown;
    lastValidBlockHeight?: unknown;
  } | null;
  if (
    typeof recorded?.wire !== 'string' ||
    typeof recorded.signature !== 'string' ||
    !Number.isSafeInteger(recorded.lastValidBlockHeight)
  ) {
    throw new SolanaSubmissionError(
      'NODE_ANSWER',
      undefined,
      'the recorded transaction is not a SOL transaction',
    );
  }
  return recorded as { wire: string; signature: string; lastValidBlockHeight: number };
}

function parseJsonObject(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
