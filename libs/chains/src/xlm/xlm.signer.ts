import { Injectable } from '@nestjs/common';
import { ChainSigner as ChainSignerProvider } from '../chain-signer.decorator';
import type { DescribeRequest, KeyPair, SignRequest, TransactionSummary } from '../chain-signer.port';
import { SecretWalletSigner } from '../secret/secret-wallet.signer';
import { generateXlmAccount, openXlmSecret } from './xlm-keys';
import { describeXlmTransaction } from './xlm.describe';
import { signXlmTransaction } from './xlm-transaction';
import type { TatumApiDeclaration } from '../chain-network.port';

/**
 * XLM (Stellar) wallets: random accounts, secret = secret seed `S...`, address = `G...`, the same on
 * both networks (tatum-kms: Keypair.random()). Signing: see signXlmTransaction; the network passphrase
 * follows the request's testnet flag. Off-chain withdrawals sign the same way.
 * @stellar/stellar-base is loaded on first use.
 */
@ChainSignerProvider('XLM')
@Injectable()
export class XlmSigner extends SecretWalletSigner {
  readonly chain = 'XLM';
  /** tatum-kms 8.0.1 sends its off-chain withdrawals to this same broadcast (src/signatures.ts). */
  readonly tatum: TatumApiDeclaration = { broadcastPath: 'xlm', offchainWithdrawals: false };

  generateKeyPair(): Promise<KeyPair> {
    return generateXlmAccount();
  }

  async importPrivateKey(secret: string): Promise<KeyPair> {
    const keypair = await openXlmSecret(secret);
    return { address: keypair.publicKey(), privateKey: keypair.secret() };
  }

  protected signWithSecret(request: SignRequest, secret: string): Promise<string> {
    return signXlmTransaction(request.serializedTransaction, secret, request.testnet);
  }

  /** See describeXlmTransaction (xlm.describe.ts): the same parse as signing. */
  describe(request: DescribeRequest): Promise<TransactionSummary> {
    return describeXlmTransaction(request);
  }
}
