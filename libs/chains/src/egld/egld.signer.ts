import { randomBytes } from 'node:crypto';
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
import { InvalidMnemonicError } from '../chains.errors';
import { assertDerivationIndex } from '../hd/derivation-index';
import { canonicalMnemonic, generateMnemonic, mnemonicToSeed } from '../hd/mnemonic';
import { slip10Ed25519 } from '../hd/slip10-ed25519';
import { egldKeyPair, egldPath, parseEgldPrivateKey } from './egld-keys';
import { describeEgldTransaction } from './egld.describe';
import { EGLD_FEE_CAP, signEgldTransaction } from './egld-transaction';
import type { TatumApiDeclaration } from '../chain-network.port';

/**
 * EGLD (MultiversX) wallets: BIP39 mnemonics derived with SLIP-10 ed25519 at
 * m/44'/508'/0'/0'/{i}' (testnet m/44'/1'/0'/0'/{i}'), as Tatum's SDK does. ed25519 has no public
 * derivation, so there is no xpub: addresses come from the mnemonic. (Tatum's
 * generateAddressFromXPub for EGLD ignores its argument and derives from an empty mnemonic; we do
 * not reproduce that.) Address `erd1...` (bech32 of the public key); private key 64 hex, no 0x.
 * Signing: see signEgldTransaction.
 */
@ChainSignerProvider('EGLD')
@Injectable()
export class EgldSigner implements ChainSigner, TransactionSigner {
  readonly chain = 'EGLD';
  /** tatum-kms 8.0.1 sends its off-chain withdrawals to this same broadcast (src/signatures.ts). */
  readonly tatum: TatumApiDeclaration = { broadcastPath: 'egld', offchainWithdrawals: false };
  readonly walletModel = 'hd' as const;
  readonly feeCap = EGLD_FEE_CAP;

  signTransaction(request: SignRequest): Promise<string> {
    return signEgldTransaction(request);
  }

  /** See describeEgldTransaction (egld.describe.ts): the same parse as signing. */
  describe(request: DescribeRequest): Promise<TransactionSummary> {
    return describeEgldTransaction(request);
  }

  async generateWallet(): Promise<{ mnemonic: string }> {
    return { mnemonic: generateMnemonic() };
  }

  async walletFromMnemonic(mnemonic: string): Promise<{ mnemonic: string }> {
    return { mnemonic: canonicalMnemonic(mnemonic) };
  }

  async deriveAddress(
    wallet: { mnemonic?: string; xpub?: string },
    index: number,
    testnet: boolean,
  ): Promise<string> {
    assertDerivationIndex(index);
    if (wallet.mnemonic === undefined) {
      throw new InvalidMnemonicError('EGLD addresses are derived from the mnemonic, and the wallet has none');
    }
    return (await this.deriveKeyPair(wallet.mnemonic, index, testnet)).address;
  }

  async derivePrivateKey(mnemonic: string, index: number, testnet: boolean): Promise<string> {
    assertDerivationIndex(index);
    return (await this.deriveKeyPair(mnemonic, index, testnet)).privateKey;
  }

  async generateKeyPair(): Promise<KeyPair> {
    return this.keyPairOf(randomBytes(32));
  }

  async importPrivateKey(privateKey: string): Promise<KeyPair> {
    return this.keyPairOf(parseEgldPrivateKey(privateKey));
  }

  private async deriveKeyPair(mnemonic: string, index: number, testnet: boolean): Promise<KeyPair> {
    const seed = await mnemonicToSeed(canonicalMnemonic(mnemonic));
    try {
      return this.keyPairOf(slip10Ed25519(seed, egldPath(index, testnet)));
    } finally {
      seed.fill(0);
    }
  }

  private keyPairOf(ed25519Seed: Uint8Array): KeyPair {
    try {
      return egldKeyPair(ed25519Seed);
    } finally {
      ed25519Seed.fill(0);
    }
  }
}
