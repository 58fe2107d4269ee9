import { Injectable } from '@nestjs/common';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { ChainSigner as ChainSignerProvider } from '../chain-signer.decorator';
import type {
  DescribeRequest,
  SignRequest,
  TransactionSigner,
  TransactionSummary,
} from '../chain-signer.port';
import { XPUB_VERSIONS } from '../hd/bip32';
import { type HdNetwork, Secp256k1HdSigner } from '../hd/secp256k1-hd.signer';
import { formatTronPrivateKey, parseTronPrivateKey, tronAddress } from './tron-keys';
import { describeTronTransaction } from './tron.describe';
import { signTronTransaction } from './tron-transaction';
import type { TatumApiDeclaration } from '../chain-network.port';

/** Tatum derives TRON wallets at one path whatever the network (the testnet flag is ignored). */
const TRON_HD_NETWORK: HdNetwork = { derivationPath: "m/44'/195'/0'/0", bip32: XPUB_VERSIONS };

/**
 * TRON wallets (docs/tatum-protocol.md §6): BIP44 m/44'/195'/0'/0 with `xpub` version bytes on both networks,
 * base58check `T...` addresses, keys as 64 hex digits without 0x. Transactions are signed offline
 * (tron-transaction.ts); no chain library is loaded.
 */
@ChainSignerProvider('TRON')
@Injectable()
export class TronSigner extends Secp256k1HdSigner implements TransactionSigner {
  readonly chain = 'TRON';
  /** tatum-kms 8.0.1 sends its off-chain withdrawals to this same broadcast (src/signatures.ts). */
  readonly tatum: TatumApiDeclaration = { broadcastPath: 'tron', offchainWithdrawals: false };

  protected hdNetwork(): HdNetwork {
    return TRON_HD_NETWORK;
  }

  protected async addressOf(publicKey: Uint8Array): Promise<string> {
    return tronAddress(publicKey);
  }

  /** Uncompressed, so raw keys skip a point decompression on the way to the address. */
  protected override publicKeyOf(privateKey: Uint8Array): Uint8Array {
    return secp256k1.getPublicKey(privateKey, false);
  }

  protected encodePrivateKey(privateKey: Uint8Array): string {
    return formatTronPrivateKey(privateKey);
  }

  protected decodePrivateKey(text: string): Uint8Array {
    return parseTronPrivateKey(text);
  }

  /** See signTronTransaction (tron-transaction.ts). */
  async signTransaction(request: SignRequest): Promise<string> {
    return signTronTransaction(request);
  }

  /** See describeTronTransaction (tron.describe.ts): the same parse as signing. */
  describe(request: DescribeRequest): Promise<TransactionSummary> {
    return describeTronTransaction(request);
  }
}
