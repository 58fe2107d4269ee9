import type { Type } from '@nestjs/common';
import type {
  DescribeRequest,
  SignRequest,
  TransactionSigner,
  TransactionSummary,
} from '../chain-signer.port';
import { InvalidPrivateKeyError } from '../chains.errors';
import { type HdNetwork, Secp256k1HdSigner } from '../hd/secp256k1-hd.signer';
import { asChainSignerProvider } from '../signer-provider';
import { signBchTransaction } from './bch-transaction';
import { utxoAddress } from './utxo-address';
import { UTXO_CHAINS, type UtxoChain, utxoNetwork } from './utxo-chains';
import { signUtxoTransaction } from './utxo-transaction.signer';
import { describeUtxoTransaction } from './utxo.describe';
import { decodeWif, encodeWif } from './wif';
import type { TatumApiDeclaration } from '../chain-network.port';

/**
 * Wallets of every UTXO chain, configured by its row of UTXO_CHAINS: xpub with the network's version
 * bytes, addresses of the row's type (from the xpub and for raw keys alike), compressed WIF keys.
 * Signs the row's pending-transaction format (bitcore JSON or BCH hex:amounts); keys must be WIF of
 * the request's network.
 */
export class UtxoSigner extends Secp256k1HdSigner implements TransactionSigner {
  readonly chain: string;
  readonly signsWith: 'keySet' | 'keysByInput';
  readonly tatum: TatumApiDeclaration;

  constructor(protected readonly config: UtxoChain) {
    super();
    this.chain = config.chain;
    this.tatum = config.tatum;
    this.signsWith = config.transactionFormat === 'bch' ? 'keysByInput' : 'keySet';
  }

  signTransaction(request: SignRequest): Promise<string> {
    const context = {
      chain: this.chain,
      segwit: utxoNetwork(this.config, request.testnet).bech32 !== '',
      decodeKey: (text: string) => this.decodePrivateKey(text, request.testnet),
    };
    switch (this.config.transactionFormat) {
      case 'bitcore':
        return signUtxoTransaction(context, request);
      case 'bch':
        return signBchTransaction(context, request);
    }
  }

  /** See describeUtxoTransaction (utxo.describe.ts): the same parse as signing. */
  describe(request: DescribeRequest): Promise<TransactionSummary> {
    return describeUtxoTransaction(this.config, request);
  }

  protected hdNetwork(testnet: boolean): HdNetwork {
    return utxoNetwork(this.config, testnet);
  }

  protected addressOf(publicKey: Uint8Array, testnet: boolean): Promise<string> {
    return utxoAddress(this.config.addressType, publicKey, utxoNetwork(this.config, testnet));
  }

  protected encodePrivateKey(privateKey: Uint8Array, testnet: boolean): string {
    return encodeWif(privateKey, utxoNetwork(this.config, testnet).wif);
  }

  protected decodePrivateKey(text: string, testnet: boolean): Uint8Array {
    const decoded = decodeWif(text, utxoNetwork(this.config, testnet).wif);
    if ('privateKey' in decoded) return decoded.privateKey;
    const network = testnet ? 'testnet' : 'mainnet';
    throw new InvalidPrivateKeyError(this.chain, `a compressed WIF key of ${network} (${decoded.problem})`);
  }
}

/** The Nest provider of one row: a UtxoSigner subclass bound to it, decorated `@ChainSigner(row.chain)`. */
export function createUtxoSigner(row: UtxoChain): Type<UtxoSigner> {
  return asChainSignerProvider(
    row.chain,
    class extends UtxoSigner {
      constructor() {
        super(row);
      }
    },
  );
}

/** One provider per row of UTXO_CHAINS. */
export const UTXO_SIGNERS: readonly Type<UtxoSigner>[] = UTXO_CHAINS.map(createUtxoSigner);
