import { Test } from '@nestjs/testing';
import { decodeSignedTransaction } from 'algosdk';
import { address as btcAddress, Transaction as BtcTransaction } from 'bitcoinjs-lib';
import { encode as cashaddrEncode } from 'cashaddrjs';
import { Interface, Transaction as EvmTransaction } from 'ethers';
import { decode as decodeXrp } from 'ripple-binary-codec';
import algoVectors from '@kms/test-fixtures/algo-signing.json';
import derivation from '@kms/test-fixtures/derivation.json';
import signing from '@kms/test-fixtures/signing.json';
import type { ChainSigner, TransactionSummary } from './chain-signer.port';
import { ChainRegistry } from './chain.registry';
import { ChainModule } from './chains.module';
import { findUtxoChain, utxoNetwork } from './utxo/utxo-chains';

/**
 * For every signing vector (test/fixtures/signing.json, algo-signing.json), describe must name the
 * recipient and amount that the vector's expected signed transaction carries. The expectations are
 * read from the signed txData with the chains' own reference libraries (ethers, bitcoinjs-lib,
 * ripple-binary-codec, algosdk), not from our parsers, and from the derivation vectors where a
 * vector's name says which address index it pays.
 */
const ERC20 = new Interface(['function transfer(address to, uint256 amount)']);

type Vector = (typeof signing.vectors)[number];

/** Recipient address i of a chain's mainnet derivation vectors (the vectors are mainnet). */
function derivedAddress(chain: string, index: number): string {
  const chains = derivation.chains as unknown as Record<
    string,
    { mainnet: { generateAddressFromXPub: Record<string, string> } }
  >;
  return chains[chain].mainnet.generateAddressFromXPub[String(index)];
}

describe('describe reproduces the signing vectors', () => {
  let registry: ChainRegistry;
  const describeWith = (chain: string, serializedTransaction: string, testnet: boolean) => {
    const signer: ChainSigner = registry.get(chain);
    return signer.describe!({ serializedTransaction, testnet, withdrawal: false });
  };

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [ChainModule.forRoot()] }).compile();
    await moduleRef.init();
    registry = moduleRef.get(ChainRegistry);
  });

  const evm = signing.vectors.filter((v) => ['ETH', 'BSC', 'MATIC'].includes(v.chain));
  it.each(evm.map((v) => [v.name, v] as [string, Vector]))('%s', async (_name, vector) => {
    const signed = EvmTransaction.from(vector.expectedTxData);
    const summary = await describeWith(vector.chain, vector.pendingTx.serializedTransaction, vector.testnet);
    const contract = signed.to!.toLowerCase();
    if (signed.data.startsWith('0xa9059cbb')) {
      const [to, value] = ERC20.decodeFunctionData('transfer', signed.data);
      expect(summary).toMatchObject({
        kind: 'token-transfer',
        contract,
        to: [String(to).toLowerCase()],
        amounts: [{ asset: contract, value: value.toString() }],
      });
      expect(summary.amounts[0].decimals).toBeUndefined();
    } else {
      expect(summary.to).toEqual([contract]);
      expect(summary.amounts).toEqual([
        { asset: vector.chain, value: signed.value.toString(), decimals: 18 },
      ]);
      expect(summary.kind).toBe(signed.data === '0x' ? 'transfer' : 'contract-call');
    }
    expect(summary.fee).toEqual({
      asset: vector.chain,
      value: (signed.gasPrice! * signed.gasLimit).toString(),
      decimals: 18,
    });
  });

  const utxo = signing.vectors.filter((v) => findUtxoChain(v.chain));
  it.each(utxo.map((v) => [v.name, v] as [string, Vector]))('%s', async (_name, vector) => {
    const row = findUtxoChain(vector.chain)!;
    const network = utxoNetwork(row, vector.testnet);
    const signed = BtcTransaction.fromHex(vector.expectedTxData);
    const outputs = signed.outs.map((out) => {
      const legacy = btcAddress.fromOutputScript(out.script, network);
      const address =
        row.addressType === 'cashaddr'
          ? cashaddrEncode(network.cashAddrPrefix!, 'P2PKH', btcAddress.fromBase58Check(legacy).hash)
          : legacy;
      return { address, value: out.value.toString() };
    });
    const summary = await describeWith(vector.chain, vector.pendingTx.serializedTransaction, vector.testnet);
    const described = [
      ...summary.to.map((address, i) => ({ address, value: summary.amounts[i].value })),
      ...(summary.change ?? []),
    ];
    expect(described).toEqual(expect.arrayContaining(outputs));
    expect(described).toHaveLength(outputs.length);
    expect(summary.amounts.every((a) => a.asset === vector.chain && a.decimals === 8)).toBe(true);
    const paid = /to idx(\d+)/.exec(vector.name);
    if (paid) expect(summary.to).toContain(derivedAddress(vector.chain, Number(paid[1])));
    const change = /change idx(\d+)/.exec(vector.name);
    if (change && row.transactionFormat === 'bitcore') {
      expect(summary.change?.map((c) => c.address)).toEqual([
        derivedAddress(vector.chain, Number(change[1])),
      ]);
    }
  });

  it('covers every chain of the signing vectors', () => {
    expect([...new Set([...evm, ...utxo].map((v) => v.chain))].sort()).toEqual(
      [...new Set(signing.vectors.map((v) => v.chain))].sort(),
    );
  });

  type XrpVector = (typeof signing.xrp.vectors)[number];
  it.each(signing.xrp.vectors.map((v) => [v.pendingTx.id, v] as [string, XrpVector]))(
    'XRP %s',
    async (_id, vector) => {
      const signed = decodeXrp(vector.expectedTxData) as Record<string, unknown>;
      const summary = await describeWith('XRP', vector.pendingTx.serializedTransaction, false);
      expect(summary.to).toEqual([signed.Destination]);
      expect(summary.from).toEqual([signed.Account]);
      expect(summary.fee).toEqual({ asset: 'XRP', value: signed.Fee, decimals: 6 });
      const delivered = signed.Amount as string | { currency: string; issuer: string; value: string };
      if (typeof delivered === 'string') {
        expect(summary).toMatchObject({
          kind: 'transfer',
          amounts: [{ asset: 'XRP', value: delivered, decimals: 6 }],
        });
      } else {
        const [{ asset, value, decimals }] = summary.amounts;
        expect(asset).toBe(`${delivered.currency}.${delivered.issuer}`);
        expect(Number(value) / 10 ** decimals!).toBe(Number(delivered.value));
        expect(summary.kind).toBe('token-transfer');
      }
    },
  );

  type AlgoCase = (typeof algoVectors.cases)[number];
  const algo = algoVectors.cases.filter((c) => c.expectedTxData);
  it.each(algo.map((c) => [c.name, c] as [string, AlgoCase]))('ALGO %s', async (_name, vector) => {
    const { txn } = decodeSignedTransaction(Buffer.from(vector.expectedTxData, 'hex'));
    const summary: TransactionSummary = await describeWith(
      'ALGO',
      vector.serializedTransaction,
      vector.testnet,
    );
    expect(summary.from).toEqual([txn.sender.toString()]);
    expect(summary.fee).toEqual({ asset: 'ALGO', value: txn.fee.toString(), decimals: 6 });
    if (txn.payment) {
      expect(summary).toMatchObject({
        kind: 'transfer',
        to: [txn.payment.receiver.toString()],
        amounts: [{ asset: 'ALGO', value: txn.payment.amount.toString(), decimals: 6 }],
      });
    } else if (txn.assetTransfer) {
      expect(summary.to).toEqual([txn.assetTransfer.receiver.toString()]);
      expect(summary.amounts).toEqual([
        { asset: txn.assetTransfer.assetIndex.toString(), value: txn.assetTransfer.amount.toString() },
      ]);
    } else {
      expect(summary.kind).toBe('unknown');
    }
  });
});
