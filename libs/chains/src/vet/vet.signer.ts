import { Injectable } from '@nestjs/common';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { ChainSigner as ChainSignerProvider } from '../chain-signer.decorator';
import type {
  DescribeRequest,
  SignRequest,
  TransactionSummary,
  TransactionSigner,
} from '../chain-signer.port';
import { evmAddress, formatEvmPrivateKey, parseEvmPrivateKey } from '../evm/evm-keys';
import { XPUB_VERSIONS } from '../hd/bip32';
import { type HdNetwork, Secp256k1HdSigner } from '../hd/secp256k1-hd.signer';
import { VET_DERIVATION_PATH, VET_FEE_CAP } from './vet-network';
import { describeVetTransaction } from './vet.describe';
import { signVetTransaction } from './vet-transaction';
import type { TatumApiDeclaration } from '../chain-network.port';

const MAINNET: HdNetwork = { derivationPath: VET_DERIVATION_PATH.mainnet, bip32: XPUB_VERSIONS };
const TESTNET: HdNetwork = { derivationPath: VET_DERIVATION_PATH.testnet, bip32: XPUB_VERSIONS };

/**
 * VeChain (VET) wallets (docs/tatum-protocol.md §6): keys and addresses exactly as on Ethereum (0x lowercase
 * hex, 0x-hex keys, `xpub` on both networks) at m/44'/818'/0'/0 (mainnet) and m/44'/1'/0'/0
 * (testnet). Transactions are Thor transactions, not Ethereum ones (vet-transaction.ts); thor-devkit
 * is loaded on the first signature only.
 */
@ChainSignerProvider('VET')
@Injectable()
export class VetSigner extends Secp256k1HdSigner implements TransactionSigner {
  readonly chain = 'VET';
  /** tatum-kms 8.0.1 sends its off-chain withdrawals to this same broadcast (src/signatures.ts). */
  readonly tatum: TatumApiDeclaration = { broadcastPath: 'vet', offchainWithdrawals: false };
  readonly feeCap = VET_FEE_CAP;

  protected hdNetwork(testnet: boolean): HdNetwork {
    return testnet ? TESTNET : MAINNET;
  }

  protected async addressOf(publicKey: Uint8Array): Promise<string> {
    return evmAddress(publicKey, '0x');
  }

  /** Uncompressed, so raw keys skip a point decompression on the way to the address. */
  protected override publicKeyOf(privateKey: Uint8Array): Uint8Array {
    return secp256k1.getPublicKey(privateKey, false);
  }

  protected encodePrivateKey(privateKey: Uint8Array): string {
    return formatEvmPrivateKey(privateKey);
  }

  protected decodePrivateKey(text: string): Uint8Array {
    return parseEvmPrivateKey(text, this.chain);
  }

  /** See signVetTransaction (vet-transaction.ts). */
  signTransaction(request: SignRequest): Promise<string> {
    return signVetTransaction(request);
  }

  /** See describeVetTransaction (vet.describe.ts): the same parse as signing. */
  describe(request: DescribeRequest): Promise<TransactionSummary> {
    return describeVetTransaction(request);
  }
}
