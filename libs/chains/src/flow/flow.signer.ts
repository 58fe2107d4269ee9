import { Injectable } from '@nestjs/common';
import { secp256k1 } from '@noble/curves/secp256k1';
import { ChainSigner as ChainSignerProvider } from '../chain-signer.decorator';
import type { SignRequest, TransactionSigner } from '../chain-signer.port';
import { XPUB_VERSIONS } from '../hd/bip32';
import { type HdNetwork, Secp256k1HdSigner } from '../hd/secp256k1-hd.signer';
import { flowPublicKeyHex, formatFlowPrivateKey, parseFlowPrivateKey } from './flow-keys';
import { signFlowTransaction } from './flow-transaction';

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

  signTransaction(request: SignRequest): Promise<string> {
    return signFlowTransaction(request);
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
