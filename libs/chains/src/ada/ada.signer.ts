import { Injectable } from '@nestjs/common';
import { ChainSigner as ChainSignerProvider } from '../chain-signer.decorator';
import type {
  ChainSigner,
  DescribeRequest,
  KeyPair,
  SignRequest,
  TransactionSigner,
  TransactionSummary,
} from '../chain-signer.port';
import { InvalidXpubError } from '../chains.errors';
import { assertDerivationIndex } from '../hd/derivation-index';
import { canonicalMnemonic, generateMnemonic } from '../hd/mnemonic';
import {
  adaAddressOfXpub,
  adaKeyPair,
  adaPrivateKeyBytes,
  adaXpub,
  cardanoLib,
  type CardanoLib,
  parseAdaPrivateKey,
  randomAdaPrivateKey,
} from './ada-keys';
import { describeAdaTransaction } from './ada.describe';
import { signAdaTransaction } from './ada-transaction';
import type { TatumApiDeclaration } from '../chain-network.port';

/**
 * ADA (Cardano Shelley) wallets as tatum-kms 8 makes them through Tatum's SDK v2 (`@tatumio/cardano`):
 * BIP39 mnemonics with an Icarus root key (from the entropy, empty password), CIP-1852 keys
 * m/1852'/1815'/0'/0/{i}; xpub = hex of the public key and chain code of m/1852'/1815'/0'/0; address
 * `i` = the enterprise address (no stake part) of key `i`, `addr1...` / `addr_test1...`; private key =
 * hex of the 64-byte extended ed25519 key. Keys and xpub do not depend on the network, addresses do.
 * Inputs of several addresses need several keys, so signing takes the key set. Signing: see
 * signAdaTransaction (it needs a Cardano Rosetta node, AdaSigningNetwork). Loads
 * @emurgo/cardano-serialization-lib-nodejs on first use.
 */
@ChainSignerProvider('ADA')
@Injectable()
export class AdaSigner implements ChainSigner, TransactionSigner {
  readonly chain = 'ADA';
  /** tatum-kms 8.0.1 sends its off-chain withdrawals to the off-chain endpoint (src/signatures.ts). */
  readonly tatum: TatumApiDeclaration = { broadcastPath: 'ada', offchainWithdrawals: true };
  readonly walletModel = 'hd' as const;
  readonly signsWith = 'keySet' as const;

  signTransaction(request: SignRequest): Promise<string> {
    return signAdaTransaction(request);
  }

  /** See describeAdaTransaction (ada.describe.ts): the same parse as signing. */
  describe(request: DescribeRequest): Promise<TransactionSummary> {
    return describeAdaTransaction(request);
  }

  async generateWallet(testnet: boolean): Promise<{ mnemonic: string; xpub: string }> {
    return this.walletFromMnemonic(generateMnemonic(), testnet);
  }

  async walletFromMnemonic(mnemonic: string, _testnet: boolean): Promise<{ mnemonic: string; xpub: string }> {
    const canonical = canonicalMnemonic(mnemonic);
    return { mnemonic: canonical, xpub: adaXpub(await cardanoLib(), canonical) };
  }

  async deriveAddress(
    wallet: { mnemonic?: string; xpub?: string },
    index: number,
    testnet: boolean,
  ): Promise<string> {
    assertDerivationIndex(index);
    const cardano = await cardanoLib();
    if (typeof wallet.xpub === 'string' && wallet.xpub !== '') {
      return adaAddressOfXpub(cardano, wallet.xpub, index, testnet);
    }
    if (wallet.mnemonic === undefined) {
      throw new InvalidXpubError('the wallet has neither an xpub nor a mnemonic');
    }
    return adaAddressOfXpub(cardano, adaXpub(cardano, canonicalMnemonic(wallet.mnemonic)), index, testnet);
  }

  async derivePrivateKey(mnemonic: string, index: number, testnet: boolean): Promise<string> {
    assertDerivationIndex(index);
    const cardano = await cardanoLib();
    return this.keyPairOf(cardano, adaPrivateKeyBytes(cardano, canonicalMnemonic(mnemonic), index), testnet)
      .privateKey;
  }

  async generateKeyPair(testnet: boolean): Promise<KeyPair> {
    return this.keyPairOf(await cardanoLib(), randomAdaPrivateKey(), testnet);
  }

  async importPrivateKey(privateKey: string, testnet: boolean): Promise<KeyPair> {
    const cardano = await cardanoLib();
    return this.keyPairOf(cardano, parseAdaPrivateKey(cardano, privateKey), testnet);
  }

  private keyPairOf(cardano: CardanoLib, extendedKey: Uint8Array, testnet: boolean): KeyPair {
    try {
      return adaKeyPair(cardano, extendedKey, testnet);
    } finally {
      extendedKey.fill(0);
    }
  }
}
