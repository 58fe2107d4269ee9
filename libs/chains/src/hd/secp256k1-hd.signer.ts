import { secp256k1 } from '@noble/curves/secp256k1.js';
import type { ChainSigner, SignRequest, KeyPair } from '../chain-signer.port';
import { InvalidXpubError } from '../chains.errors';
import { type Bip32Versions, childPublicKeyFromXpub, derivePrivateKeyBytes, xpubFromMnemonic } from './bip32';
import { assertDerivationIndex } from './derivation-index';
import { canonicalMnemonic, generateMnemonic } from './mnemonic';
import type { TatumApiDeclaration } from '../chain-network.port';

/** Where a chain's HD wallets live on one network (docs/tatum-protocol.md §6). */
export interface HdNetwork {
  /** Account-level path; address/key `i` is its non-hardened child `i`. */
  readonly derivationPath: string;
  /** Version bytes of the xpub we print and of the xpubs we accept. */
  readonly bip32: Bip32Versions;
}

/**
 * The wallet side shared by every BIP32/secp256k1 chain (EVM, UTXO): mnemonic -> xpub, address from
 * xpub (or mnemonic), private key from mnemonic, random and imported keys. A family supplies its
 * network table and its address and private-key encodings; nothing here is chain-specific.
 */
export abstract class Secp256k1HdSigner implements ChainSigner {
  abstract readonly chain: string;
  abstract readonly tatum: TatumApiDeclaration;
  readonly walletModel = 'hd' as const;

  /** Each family signs its own transaction format. */
  abstract signTransaction(request: SignRequest): Promise<string>;

  protected abstract hdNetwork(testnet: boolean): HdNetwork;
  /** Address of a public key as returned by `publicKeyOf` or derived from an xpub (33-byte compressed). */
  protected abstract addressOf(publicKey: Uint8Array, testnet: boolean): Promise<string>;
  /** The chain's export format of a 32-byte private key (0x-hex, WIF...). */
  protected abstract encodePrivateKey(privateKey: Uint8Array, testnet: boolean): string;
  /** Parses the export format; InvalidPrivateKeyError when malformed, out of range or of another network. */
  protected abstract decodePrivateKey(text: string, testnet: boolean): Uint8Array;

  /** Public key used for addresses of raw keys; compressed unless a family needs otherwise. */
  protected publicKeyOf(privateKey: Uint8Array): Uint8Array {
    return secp256k1.getPublicKey(privateKey, true);
  }

  async generateWallet(testnet: boolean): Promise<{ mnemonic: string; xpub: string }> {
    return this.walletFromMnemonic(generateMnemonic(), testnet);
  }

  async walletFromMnemonic(mnemonic: string, testnet: boolean): Promise<{ mnemonic: string; xpub: string }> {
    const canonical = canonicalMnemonic(mnemonic);
    const { derivationPath, bip32 } = this.hdNetwork(testnet);
    return { mnemonic: canonical, xpub: await xpubFromMnemonic(canonical, derivationPath, bip32) };
  }

  /** From the xpub when the wallet has one (no secret touched), else from the mnemonic. */
  async deriveAddress(
    wallet: { mnemonic?: string; xpub?: string },
    index: number,
    testnet: boolean,
  ): Promise<string> {
    assertDerivationIndex(index);
    const { bip32 } = this.hdNetwork(testnet);
    if (typeof wallet.xpub === 'string' && wallet.xpub !== '') {
      return this.addressOf(childPublicKeyFromXpub(wallet.xpub, bip32, index), testnet);
    }
    if (wallet.mnemonic === undefined) {
      throw new InvalidXpubError('the wallet has neither an xpub nor a mnemonic');
    }
    const privateKey = await this.derivePrivateKeyBytes(wallet.mnemonic, index, testnet);
    try {
      return await this.addressOf(this.publicKeyOf(privateKey), testnet);
    } finally {
      privateKey.fill(0);
    }
  }

  async derivePrivateKey(mnemonic: string, index: number, testnet: boolean): Promise<string> {
    assertDerivationIndex(index);
    const privateKey = await this.derivePrivateKeyBytes(mnemonic, index, testnet);
    try {
      return this.encodePrivateKey(privateKey, testnet);
    } finally {
      privateKey.fill(0);
    }
  }

  /** Random scalar -> public key -> address; no mnemonic involved (fast enough for 10,000-key batches). */
  async generateKeyPair(testnet: boolean): Promise<KeyPair> {
    return this.keyPair(secp256k1.utils.randomSecretKey(), testnet);
  }

  async importPrivateKey(privateKey: string, testnet: boolean): Promise<KeyPair> {
    return this.keyPair(this.decodePrivateKey(privateKey, testnet), testnet);
  }

  private async derivePrivateKeyBytes(
    mnemonic: string,
    index: number,
    testnet: boolean,
  ): Promise<Uint8Array> {
    const { derivationPath, bip32 } = this.hdNetwork(testnet);
    return derivePrivateKeyBytes(canonicalMnemonic(mnemonic), derivationPath, bip32, index);
  }

  private async keyPair(privateKey: Uint8Array, testnet: boolean): Promise<KeyPair> {
    try {
      const address = await this.addressOf(this.publicKeyOf(privateKey), testnet);
      return { address, privateKey: this.encodePrivateKey(privateKey, testnet) };
    } finally {
      privateKey.fill(0);
    }
  }
}
