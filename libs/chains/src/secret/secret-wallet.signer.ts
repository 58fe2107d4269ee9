import type { ChainSigner, KeyPair, SignRequest, TransactionSigner } from '../chain-signer.port';
import { InvalidMnemonicError, InvalidTransactionError } from '../chains.errors';
import type { TatumApiDeclaration } from '../chain-network.port';

/**
 * Base of the chains whose wallets are random accounts holding one chain-specific secret (XRP family
 * seed, XLM secret seed, ALGO key): no mnemonic, no derivation, no index. Wallets are stored as
 * `{address, secret}` (docs/tatum-protocol.md §2); a key pair's `privateKey` is that secret. Subclasses say how a
 * secret is made, read and used to sign; the mnemonic side throws InvalidMnemonicError for them all.
 */
export abstract class SecretWalletSigner implements ChainSigner, TransactionSigner {
  abstract readonly chain: string;
  abstract readonly tatum: TatumApiDeclaration;
  readonly walletModel = 'secret' as const;

  /** A fresh random account: its address and secret, in the chain's canonical formats. */
  abstract generateKeyPair(testnet: boolean): Promise<KeyPair>;
  /** Validates a secret (InvalidPrivateKeyError, never echoing it) and returns its canonical form. */
  abstract importPrivateKey(secret: string, testnet: boolean): Promise<KeyPair>;
  /** Signs with `secret`, the wallet's, already checked to be present. */
  protected abstract signWithSecret(request: SignRequest, secret: string): Promise<string>;

  /** Signs with the first resolved key, the wallet's secret (signsWith 'firstKey'). */
  signTransaction(request: SignRequest): Promise<string> {
    const secret = request.keys[0];
    if (secret === undefined) {
      return Promise.reject(new InvalidTransactionError(this.chain, 'no wallet secret was resolved for it'));
    }
    return this.signWithSecret(request, secret);
  }

  async generateWallet(testnet: boolean): Promise<{ address: string; secret: string }> {
    const { address, privateKey } = await this.generateKeyPair(testnet);
    return { address, secret: privateKey };
  }

  async walletFromMnemonic(): Promise<never> {
    throw this.noMnemonic();
  }

  async deriveAddress(): Promise<never> {
    throw this.noMnemonic();
  }

  async derivePrivateKey(): Promise<never> {
    throw this.noMnemonic();
  }

  private noMnemonic(): InvalidMnemonicError {
    return new InvalidMnemonicError(`${this.chain} wallets are random accounts; there is no mnemonic`);
  }
}
