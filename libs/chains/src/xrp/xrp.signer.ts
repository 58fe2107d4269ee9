import { Injectable } from '@nestjs/common';
import { ChainSigner as ChainSignerProvider } from '../chain-signer.decorator';
import type { DescribeRequest, KeyPair, SignRequest, TransactionSummary } from '../chain-signer.port';
import { SecretWalletSigner } from '../secret/secret-wallet.signer';
import { generateXrpAccount, openXrpAccount } from './xrp-keys';
import { describeXrpTransaction } from './xrp.describe';
import { signXrpTransaction } from './xrp-transaction';
import type { TatumApiDeclaration } from '../chain-network.port';

/**
 * XRP wallets: random accounts, secret = family seed (`s...`), address = classic `r...`, the same on
 * both networks (docs/tatum-protocol.md §6). New seeds are secp256k1 like tatum-kms's; ed25519 seeds (`sEd...`)
 * are accepted everywhere. Signing: see signXrpTransaction; off-chain withdrawals sign the same way.
 * ripple-keypairs and ripple-binary-codec are loaded on first use.
 */
@ChainSignerProvider('XRP')
@Injectable()
export class XrpSigner extends SecretWalletSigner {
  readonly chain = 'XRP';
  /** tatum-kms 8.0.1 sends its off-chain withdrawals to this same broadcast (src/signatures.ts). */
  readonly tatum: TatumApiDeclaration = { broadcastPath: 'xrp', offchainWithdrawals: false };

  generateKeyPair(): Promise<KeyPair> {
    return generateXrpAccount();
  }

  async importPrivateKey(secret: string): Promise<KeyPair> {
    const { address, secret: seed } = await openXrpAccount(secret);
    return { address, privateKey: seed };
  }

  protected signWithSecret(request: SignRequest, secret: string): Promise<string> {
    return signXrpTransaction(request.serializedTransaction, secret);
  }

  /** See describeXrpTransaction (xrp.describe.ts): the same parse as signing. */
  describe(request: DescribeRequest): Promise<TransactionSummary> {
    return describeXrpTransaction(request);
  }
}
