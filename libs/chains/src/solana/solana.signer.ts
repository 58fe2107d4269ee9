import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ChainSigner as ChainSignerProvider } from '../chain-signer.decorator';
import type { ChainSigner, KeyPair } from '../chain-signer.port';
import { InvalidMnemonicError } from '../chains.errors';
import { assertDerivationIndex } from '../hd/derivation-index';
import { canonicalMnemonic, mnemonicToSeed } from '../hd/mnemonic';
import { slip10Ed25519 } from '../hd/slip10-ed25519';
import { parseSolanaSecretKey, solanaKeyPair, solanaPath } from './solana-keys';

/**
 * SOL wallets. Tatum (and tatum-kms) make SOL wallets as random key pairs, so that is the native model;
 * mnemonic wallets are supported too, derived with SLIP-10 ed25519 at m/44'/501'/0'/0'/{i}' as Tatum's
 * SDK v2 does. They have no xpub: addresses come from the mnemonic. The network does not change keys.
 */
@ChainSignerProvider('SOL')
@Injectable()
export class SolanaSigner implements ChainSigner {
  readonly chain = 'SOL';
  readonly walletModel = 'keyPair' as const;

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
