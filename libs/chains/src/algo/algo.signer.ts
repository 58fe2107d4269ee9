import { Injectable } from '@nestjs/common';
import { ChainSigner as ChainSignerProvider } from '../chain-signer.decorator';
import type { DescribeRequest, KeyPair, SignRequest, TransactionSummary } from '../chain-signer.port';
import { SecretWalletSigner } from '../secret/secret-wallet.signer';
import { encodeAlgoSecret, generateAlgoAccount, openAlgoSecret } from './algo-keys';
import { describeAlgoTransaction } from './algo.describe';
import { signAlgoTransaction } from './algo-transaction';
import type { TatumApiDeclaration } from '../chain-network.port';

/**
 * ALGO (Algorand) wallets: random accounts, address = Algorand base32 address, the same on both
 * networks. The secret is Tatum's: base32 of the 64-byte ed25519 secret key (see encodeAlgoSecret);
 * a 25-word Algorand mnemonic is accepted on import and converted. A 25-word mnemonic is not a BIP39
 * wallet: walletFromMnemonic still refuses it. Signing: see signAlgoTransaction (txData is hex).
 * algosdk is loaded on first use.
 */
@ChainSignerProvider('ALGO')
@Injectable()
export class AlgoSigner extends SecretWalletSigner {
  readonly chain = 'ALGO';
  /** tatum-kms 8.0.1 sends its off-chain withdrawals to this same broadcast (src/signatures.ts). */
  readonly tatum: TatumApiDeclaration = { broadcastPath: 'algorand', offchainWithdrawals: false };

  generateKeyPair(): Promise<KeyPair> {
    return generateAlgoAccount();
  }

  async importPrivateKey(secret: string): Promise<KeyPair> {
    const { address, secretKey } = await openAlgoSecret(secret);
    try {
      return { address, privateKey: encodeAlgoSecret(secretKey) };
    } finally {
      secretKey.fill(0);
    }
  }

  protected signWithSecret(request: SignRequest, secret: string): Promise<string> {
    return signAlgoTransaction(request.serializedTransaction, secret, request.testnet);
  }

  /** See describeAlgoTransaction (algo.describe.ts): the same parse as signing. */
  describe(request: DescribeRequest): Promise<TransactionSummary> {
    return describeAlgoTransaction(request);
  }
}
