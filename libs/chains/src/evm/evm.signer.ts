import type { Type } from '@nestjs/common';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import type { TatumApiDeclaration } from '../chain-network.port';
import type {
  DescribeRequest,
  SignRequest,
  TransactionSigner,
  TransactionSummary,
} from '../chain-signer.port';
import { XPUB_VERSIONS } from '../hd/bip32';
import { type HdNetwork, Secp256k1HdSigner } from '../hd/secp256k1-hd.signer';
import type { FeeCap } from '../fee-cap';
import { asChainSignerProvider } from '../signer-provider';
import { EVM_CHAINS, type EvmChain } from './evm-chains';
import { evmAddress, formatEvmPrivateKey, parseEvmPrivateKey } from './evm-keys';
import { describeEvmTransaction } from './evm.describe';
import { signEvmTransaction } from './evm-transaction';

/**
 * Wallets and transactions of every EVM chain, configured by its row of EVM_CHAINS. Keys and
 * addresses need only noble's secp256k1 and keccak; ethers is loaded on the first signature.
 */
export class EvmSigner extends Secp256k1HdSigner implements TransactionSigner {
  readonly chain: string;
  readonly feeCap: FeeCap;
  readonly tatum: TatumApiDeclaration;

  constructor(protected readonly config: EvmChain) {
    super();
    this.chain = config.chain;
    this.feeCap = config.feeCap;
    this.tatum = config.tatum;
  }

  protected hdNetwork(testnet: boolean): HdNetwork {
    const { mainnet, testnet: testnetPath } = this.config.derivationPath;
    return { derivationPath: testnet ? testnetPath : mainnet, bip32: XPUB_VERSIONS };
  }

  protected async addressOf(publicKey: Uint8Array): Promise<string> {
    return evmAddress(publicKey, this.config.addressPrefix);
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

  /** See signEvmTransaction (evm-transaction.ts). */
  signTransaction(request: SignRequest): Promise<string> {
    return signEvmTransaction(this.config, request);
  }

  /** See describeEvmTransaction (evm.describe.ts): the same parser as signEvmTransaction. */
  describe(request: DescribeRequest): Promise<TransactionSummary> {
    return describeEvmTransaction(this.config, request);
  }
}

/** The Nest provider of one row: an EvmSigner subclass bound to it, decorated `@ChainSigner(row.chain)`. */
export function createEvmSigner(row: EvmChain): Type<EvmSigner> {
  return asChainSignerProvider(
    row.chain,
    class extends EvmSigner {
      constructor() {
        super(row);
      }
    },
  );
}

/** One provider per row of EVM_CHAINS. */
export const EVM_SIGNERS: readonly Type<EvmSigner>[] = EVM_CHAINS.map(createEvmSigner);
