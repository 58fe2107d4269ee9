import { Inject, Injectable, Optional } from '@nestjs/common';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { ChainSigner as ChainSignerProvider } from '../chain-signer.decorator';
import type {
  DescribeRequest,
  ResubmitRequest,
  SignRequest,
  TransactionSigner,
  TransactionSummary,
} from '../chain-signer.port';
import { XPUB_VERSIONS } from '../hd/bip32';
import { type HdNetwork, Secp256k1HdSigner } from '../hd/secp256k1-hd.signer';
import { flowPublicKeyHex, formatFlowPrivateKey, parseFlowPrivateKey } from './flow-keys';
import { describeFlowTransaction } from './flow.describe';
import { parseFlowRequest } from './flow-request';
import { FlowTatumSender } from './flow-tatum-send';
import { signFlowTransaction } from './flow-transaction';
import type { TatumApiDeclaration } from '../chain-network.port';

/** Optional settings of FlowSigner (Nest: provide them under FLOW_SIGNER_OPTIONS). */
export interface FlowSignerOptions {
  /** How long to wait for a submitted transaction to be sealed; 120 s by default. */
  sealTimeoutMs?: number;
  /** Pause between two result requests while waiting; 1 s by default. */
  pollIntervalMs?: number;
}

export const FLOW_SIGNER_OPTIONS = Symbol('FLOW_SIGNER_OPTIONS');

/** Tatum's FLOW path, on both networks (its SDK ignores testnet for FLOW). */
const FLOW_HD: HdNetwork = { derivationPath: "m/44'/539'/0'/0", bip32: XPUB_VERSIONS };

/**
 * FLOW wallets: BIP32 secp256k1 at m/44'/539'/0'/0 with an `xpub` on both networks. The "address"
 * of index i is, as in Tatum's SDK, the uncompressed public key (128 hex, no 04): a FLOW account
 * address is assigned on chain, and Tatum creates the account from this key (see flowPublicKeyHex).
 * Private keys are 64 hex digits, zero-padded (Tatum's SDK drops leading zeros; such keys import).
 * Signing: see signFlowTransaction.
 */
@ChainSignerProvider('FLOW')
@Injectable()
export class FlowSigner extends Secp256k1HdSigner implements TransactionSigner {
  readonly chain = 'FLOW';
  /** tatum-kms 8.0.1 sends its off-chain withdrawals to this same broadcast (src/signatures.ts). */
  readonly tatum: TatumApiDeclaration = { broadcastPath: 'flow', offchainWithdrawals: false };
  /** Tatum's format is submitted here; txData is the transaction id (see signTransaction). */
  readonly submitsItself = true;
  private readonly tatumSender: FlowTatumSender;

  constructor(@Optional() @Inject(FLOW_SIGNER_OPTIONS) options: FlowSignerOptions = {}) {
    super();
    this.tatumSender = new FlowTatumSender({
      timeoutMs: options.sealTimeoutMs ?? 120_000,
      pollIntervalMs: options.pollIntervalMs ?? 1_000,
    });
  }

  /**
   * Tatum's format `{type, body}` (what Tatum's API stores for FLOW): built from Cadence 1.0
   * templates, proposed and paid by Tatum, signed here as the authorizer, submitted and awaited
   * until sealed (FlowTatumSender); txData is the transaction id. Our prepared format
   * `{transaction, signer}`: signed only, txData is the REST body (signFlowTransaction).
   */
  async signTransaction(request: SignRequest): Promise<string> {
    const parsed = parseFlowRequest(request);
    return parsed.form === 'tatum'
      ? this.tatumSender.send(parsed.template, request)
      : signFlowTransaction(parsed.pending, request);
  }

  /** See describeFlowTransaction (flow.describe.ts): the same parse as signing. */
  describe(request: DescribeRequest): Promise<TransactionSummary> {
    return describeFlowTransaction(request);
  }

  /** A Tatum-format transaction recorded before it was submitted: see FlowTatumSender.resubmit. */
  resubmit(signedTx: string, request: ResubmitRequest): Promise<string> {
    return this.tatumSender.resubmit(signedTx, request);
  }

  protected hdNetwork(): HdNetwork {
    return FLOW_HD;
  }

  protected async addressOf(publicKey: Uint8Array): Promise<string> {
    return flowPublicKeyHex(publicKey);
  }

  /** Uncompressed: the "address" is the uncompressed key, so raw keys skip a decompression. */
  protected override publicKeyOf(privateKey: Uint8Array): Uint8Array {
    return secp256k1.getPublicKey(privateKey, false);
  }

  protected encodePrivateKey(privateKey: Uint8Array): string {
    return formatFlowPrivateKey(privateKey);
  }

  protected decodePrivateKey(text: string): Uint8Array {
    return parseFlowPrivateKey(text);
  }
}
