import { Test } from '@nestjs/testing';
import { bytesToHex } from '@noble/hashes/utils.js';
import {
  Keypair as SolKeypair,
  PublicKey,
  SystemProgram,
  Transaction as SolTransaction,
  TransactionInstruction,
} from '@solana/web3.js';
import {
  Account,
  Asset,
  Networks,
  Operation,
  TransactionBuilder,
  Keypair as XlmKeypair,
  Memo,
} from '@stellar/stellar-base';
import { Transaction as BtcTransaction } from 'bitcoinjs-lib';
import derivation from '@kms/test-fixtures/derivation.json';
import { tatumOperations } from './ada/ada-rosetta.test-helpers';
import type { ChainSigner, TransactionSummary } from './chain-signer.port';
import { ChainRegistry } from './chain.registry';
import { ChainModule } from './chains.module';
import { parseTronAddress } from './tron/tron-keys';
import { tronTransaction } from './tron/tron.test-helpers';

/**
 * describe per family on what is not a plain transfer: tokens, approvals, contract calls and what it
 * does not decode (never guessed), plus malformed payloads (refused as signing refuses them).
 */
const ADDR = (n: number) => `0x${String(n).repeat(40).slice(0, 40)}`;
const word = (hex: string) => hex.replace(/^0x/, '').padStart(64, '0');
const TOKEN = '0xdac17f958d2ee523a2206206994597c13d831ec7';

describe('describe: tokens, contract calls and unknown payloads', () => {
  let registry: ChainRegistry;
  const describeWith = (
    chain: string,
    serializedTransaction: string,
    options: { testnet?: boolean; withdrawal?: boolean } = {},
  ): Promise<TransactionSummary> => {
    const signer: ChainSigner = registry.get(chain);
    return signer.describe!({
      serializedTransaction,
      testnet: options.testnet ?? false,
      withdrawal: options.withdrawal ?? false,
    });
  };

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [ChainModule.forRoot()] }).compile();
    await moduleRef.init();
    registry = moduleRef.get(ChainRegistry);
  });

  it('every chain of the registry describes', () => {
    for (const chain of registry.chains()) expect(typeof registry.get(chain).describe).toBe('function');
  });

  describe('EVM', () => {
    const evm = (tx: object, chain = 'ETH') =>
      describeWith(chain, JSON.stringify({ from: 0, nonce: 1, ...tx }));

    it('ERC-20 transferFrom: the holder is the sender, the recipient and amount from calldata', async () => {
      const data = `0x23b872dd${word(ADDR(1))}${word(ADDR(2))}${word('0x2a')}`;
      expect(await evm({ to: TOKEN, data, gas: 60000, gasPrice: '10' })).toEqual({
        chain: 'ETH',
        kind: 'token-transfer',
        method: 'transferFrom',
        from: [ADDR(1)],
        to: [ADDR(2)],
        amounts: [{ asset: TOKEN, value: '42' }],
        contract: TOKEN,
        data,
        fee: { asset: 'ETH', value: '600000', decimals: 18 },
        notes: [expect.stringContaining('decimals')],
      });
    });

    it('ERC-20 approve: the spender and the allowance', async () => {
      const max = 'f'.repeat(64);
      const data = `0x095ea7b3${word(ADDR(3))}${max}`;
      const summary = await evm({
        to: TOKEN,
        data,
        maxFeePerGas: '100',
        maxPriorityFeePerGas: '1',
        gas: 50000,
      });
      expect(summary).toMatchObject({
        kind: 'approve',
        to: [ADDR(3)],
        amounts: [{ asset: TOKEN, value: ((1n << 256n) - 1n).toString() }],
        fee: { asset: 'ETH', value: '5000000', decimals: 18 },
      });
    });

    it('other calldata is a contract call with its data and the value sent, never decoded', async () => {
      const data = `0x38ed1739${word('0x01')}`; // swapExactTokensForTokens(...), truncated
      expect(await evm({ to: TOKEN, data, value: '5' })).toMatchObject({
        kind: 'contract-call',
        to: [TOKEN],
        contract: TOKEN,
        data,
        amounts: [{ asset: 'ETH', value: '5', decimals: 18 }],
      });
    });

    it('a transfer selector with the wrong argument words is not taken for a transfer', async () => {
      const data = `0xa9059cbb${word(ADDR(1))}`;
      expect((await evm({ to: TOKEN, data })).kind).toBe('contract-call');
      const dirty = `0xa9059cbb${'ff'.repeat(12)}${ADDR(1).slice(2)}${word('0x01')}`;
      expect((await evm({ to: TOKEN, data: dirty })).kind).toBe('contract-call');
    });

    it('a deployment names no recipient; no fee when the network fills it', async () => {
      const summary = await evm({ data: '0x6080' });
      expect(summary).toMatchObject({ kind: 'contract-call', method: 'deploy', to: [], amounts: [] });
      expect(summary.fee).toBeUndefined();
    });

    it('XDC addresses keep their prefix; a chainId of another chain is refused like signing', async () => {
      const summary = await evm({ to: `xdc${ADDR(4).slice(2)}`, value: '1' }, 'XDC');
      expect(summary.to).toEqual([`xdc${ADDR(4).slice(2)}`]);
      await expect(evm({ to: ADDR(4), value: '1', chainId: 56 })).rejects.toMatchObject({
        code: 'INVALID_PENDING_TX',
      });
    });
  });

  describe('UTXO', () => {
    const BTC = derivation.chains.BTC.mainnet.generateAddressFromXPub;

    it('an OP_RETURN output is listed as its script; raw withdrawal hex names no sender nor fee', async () => {
      const tx = new BtcTransaction();
      tx.addInput(Buffer.alloc(32, 1), 0);
      tx.addOutput(Buffer.from('6a0568656c6c6f', 'hex'), 0n);
      tx.addOutput(Buffer.from('0014' + 'ab'.repeat(20), 'hex'), 1000n);
      const summary = await describeWith('BTC', tx.toHex(), { withdrawal: true });
      expect(summary.from).toEqual([]);
      expect(summary.to[0]).toBe('script:6a0568656c6c6f');
      expect(summary.to[1]).toMatch(/^bc1q/);
      expect(summary.amounts.map((a) => a.value)).toEqual(['0', '1000']);
      expect(summary.fee).toBeUndefined();
      expect(summary.notes?.[0]).toMatch(/raw transaction hex/);
      expect(BTC['0']).toMatch(/^bc1q/);
    });

    it('malformed bitcore JSON is refused as signing refuses it', async () => {
      await expect(describeWith('BTC', '{"inputs":[]}')).rejects.toMatchObject({
        code: 'INVALID_PENDING_TX',
      });
    });
  });

  describe('TRON', () => {
    const hexOf = (address: string) => bytesToHex(parseTronAddress(address)!);
    const ADDRESSES = derivation.chains.TRON.mainnet.generateAddressFromXPub;
    const USDT = 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t';
    const HEADER = {
      ref_block_bytes: '5e4b',
      ref_block_hash: '47c9dc89341b300d',
      expiration: 1591089627000,
      timestamp: 1591089567635,
    };
    const trigger = (data: string, extra: Record<string, number> = {}) =>
      JSON.stringify(
        tronTransaction({
          contract: [
            {
              type: 'TriggerSmartContract',
              value: { data, owner_address: hexOf(ADDRESSES['0']), contract_address: hexOf(USDT), ...extra },
            },
          ],
          ...HEADER,
          fee_limit: 100_000_000,
        }),
      );

    it('TRX transfer', async () => {
      const tx = tronTransaction({
        contract: [
          {
            type: 'TransferContract',
            value: {
              amount: 1_500_000,
              owner_address: hexOf(ADDRESSES['0']),
              to_address: hexOf(ADDRESSES['1']),
            },
          },
        ],
        ...HEADER,
      });
      expect(await describeWith('TRON', JSON.stringify(tx))).toEqual({
        chain: 'TRON',
        kind: 'transfer',
        method: 'TransferContract',
        from: [ADDRESSES['0']],
        to: [ADDRESSES['1']],
        amounts: [{ asset: 'TRON', value: '1500000', decimals: 6 }],
      });
    });

    it('TRC-20 transfer: the recipient as a T-address, the contract as the asset, fee_limit as the fee', async () => {
      const data = `a9059cbb${word(hexOf(ADDRESSES['1']).slice(2))}${word('0f4240')}`;
      expect(await describeWith('TRON', trigger(data))).toMatchObject({
        kind: 'token-transfer',
        from: [ADDRESSES['0']],
        to: [ADDRESSES['1']],
        contract: USDT,
        amounts: [{ asset: USDT, value: '1000000' }],
        fee: { asset: 'TRON', value: '100000000', decimals: 6 },
      });
    });

    it('other contract data is a contract call, with the TRX it sends', async () => {
      const summary = await describeWith('TRON', trigger('deadbeef', { call_value: 7 }));
      expect(summary).toMatchObject({
        kind: 'contract-call',
        to: [USDT],
        data: 'deadbeef',
        amounts: [{ asset: 'TRON', value: '7', decimals: 6 }],
      });
    });
  });

  describe('SOL', () => {
    const payer = SolKeypair.fromSeed(Uint8Array.from({ length: 32 }, (_, i) => i + 1)).publicKey;
    const other = SolKeypair.fromSeed(Uint8Array.from({ length: 32 }, (_, i) => i + 2)).publicKey;
    const TOKEN_PROGRAM = new PublicKey('TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA');
    const ATA_PROGRAM = new PublicKey('ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL');
    const mint = SolKeypair.fromSeed(new Uint8Array(32).fill(9)).publicKey;
    const sourceAta = SolKeypair.fromSeed(new Uint8Array(32).fill(7)).publicKey;
    const destAta = SolKeypair.fromSeed(new Uint8Array(32).fill(8)).publicKey;
    const pending = (...instructions: TransactionInstruction[]) => {
      const tx = new SolTransaction({ feePayer: payer, recentBlockhash: PublicKey.default.toBase58() });
      tx.add(...instructions);
      return JSON.stringify({ txData: tx.compileMessage().serialize().toString('hex') });
    };
    const meta = (pubkey: PublicKey, isSigner = false, isWritable = true) => ({
      pubkey,
      isSigner,
      isWritable,
    });
    const u64 = (tag: number, value: bigint, extra: number[] = []) => {
      const data = Buffer.alloc(9);
      data[0] = tag;
      data.writeBigUInt64LE(value, 1);
      return Buffer.concat([data, Buffer.from(extra)]);
    };

    it('system transfer', async () => {
      const ix = SystemProgram.transfer({ fromPubkey: payer, toPubkey: other, lamports: 1234 });
      expect(await describeWith('SOL', pending(ix))).toEqual({
        chain: 'SOL',
        kind: 'transfer',
        from: [payer.toBase58()],
        to: [other.toBase58()],
        amounts: [{ asset: 'SOL', value: '1234', decimals: 9 }],
      });
    });

    it('SPL TransferChecked: the mint and decimals; to an account created here: its owner', async () => {
      const create = new TransactionInstruction({
        programId: ATA_PROGRAM,
        keys: [meta(payer, true), meta(destAta), meta(other, false, false), meta(mint, false, false)],
        data: Buffer.alloc(0),
      });
      const transfer = new TransactionInstruction({
        programId: TOKEN_PROGRAM,
        keys: [meta(sourceAta), meta(mint, false, false), meta(destAta), meta(payer, true, false)],
        data: u64(12, 5_000_000n, [6]),
      });
      expect(await describeWith('SOL', pending(create, transfer))).toEqual({
        chain: 'SOL',
        kind: 'token-transfer',
        from: [payer.toBase58()],
        to: [other.toBase58()],
        amounts: [{ asset: mint.toBase58(), value: '5000000', decimals: 6 }],
      });
    });

    it('SPL Transfer names no mint: asset SPL, the recipient its token account, both noted', async () => {
      const transfer = new TransactionInstruction({
        programId: TOKEN_PROGRAM,
        keys: [meta(sourceAta), meta(destAta), meta(payer, true, false)],
        data: u64(3, 77n),
      });
      const summary = await describeWith('SOL', pending(transfer));
      expect(summary).toMatchObject({
        kind: 'token-transfer',
        to: [destAta.toBase58()],
        amounts: [{ asset: 'SPL', value: '77' }],
      });
      expect(summary.notes).toHaveLength(2);
    });

    it('another program is a contract call with its data', async () => {
      const program = SolKeypair.fromSeed(new Uint8Array(32).fill(5)).publicKey;
      const call = new TransactionInstruction({
        programId: program,
        keys: [meta(payer, true)],
        data: Buffer.from([1, 2, 3]),
      });
      expect(await describeWith('SOL', pending(call))).toMatchObject({
        kind: 'contract-call',
        contract: program.toBase58(),
        data: '010203',
        to: [],
        amounts: [],
      });
    });
  });

  describe('XRP', () => {
    const base = { Account: 'rLpgximdBvEHy8TxUwyj6mjCRNcJju5qGG', Fee: '12', Sequence: 1 };
    it('a TrustSet is unknown, named', async () => {
      const summary = await describeWith(
        'XRP',
        JSON.stringify({
          ...base,
          TransactionType: 'TrustSet',
          LimitAmount: { currency: 'USD', issuer: 'rvYAfWj5gh67oV6fW32ZzP3Aw4Eubs59B', value: '100' },
        }),
      );
      expect(summary).toMatchObject({ kind: 'unknown', method: 'TrustSet', to: [], amounts: [] });
    });
    it('a cross-currency payment counts SendMax', async () => {
      const summary = await describeWith(
        'XRP',
        JSON.stringify({
          ...base,
          TransactionType: 'Payment',
          Destination: 'rPT1Sjq2YGrBMTttX4GZHjKu9dyfzbpAYe',
          Amount: { currency: 'USD', issuer: 'rvYAfWj5gh67oV6fW32ZzP3Aw4Eubs59B', value: '1' },
          SendMax: '2000000',
        }),
      );
      expect(summary).toMatchObject({
        kind: 'transfer',
        amounts: [{ asset: 'XRP', value: '2000000', decimals: 6 }],
      });
    });
  });

  describe('XLM', () => {
    const source = XlmKeypair.fromRawEd25519Seed(Buffer.alloc(32, 1));
    const dest = XlmKeypair.fromRawEd25519Seed(Buffer.alloc(32, 2)).publicKey();
    const issuer = XlmKeypair.fromRawEd25519Seed(Buffer.alloc(32, 3)).publicKey();
    const build = (...ops: ReturnType<typeof Operation.payment>[]) => {
      const builder = new TransactionBuilder(new Account(source.publicKey(), '1'), {
        fee: '100',
        networkPassphrase: Networks.PUBLIC,
      });
      ops.forEach((op) => builder.addOperation(op));
      return builder.addMemo(Memo.text('hi')).setTimeout(0).build().toEnvelope().toXDR('base64');
    };

    it('payments of XLM and of an issued asset, 7 decimals, memo noted', async () => {
      const summary = await describeWith(
        'XLM',
        build(
          Operation.payment({ destination: dest, asset: Asset.native(), amount: '1.5' }),
          Operation.payment({ destination: dest, asset: new Asset('USDC', issuer), amount: '0.0000001' }),
        ),
      );
      expect(summary).toMatchObject({
        kind: 'token-transfer',
        from: [source.publicKey()],
        to: [dest, dest],
        amounts: [
          { asset: 'XLM', value: '15000000', decimals: 7 },
          { asset: `USDC:${issuer}`, value: '1', decimals: 7 },
        ],
        fee: { asset: 'XLM', value: '200', decimals: 7 },
      });
      expect(summary.notes).toEqual(['memo (text) hi']);
    });

    it('another operation makes it unknown', async () => {
      const summary = await describeWith(
        'XLM',
        build(Operation.manageData({ name: 'k', value: 'v' }) as never),
      );
      expect(summary).toMatchObject({ kind: 'unknown', method: 'manageData' });
    });
  });

  describe('EGLD', () => {
    const to = 'erd1qyu5wthldzr8wx5c9ucg8kjagg0jfs53s8nr3zpz3hypefsdd8ssycr6th';
    const egld = (data?: string, value = '0') =>
      describeWith('EGLD', JSON.stringify({ to, value, data, gasPrice: 1000000000, gasLimit: 500000 }));
    const hex = (text: string) => Buffer.from(text).toString('hex');

    it('ESDTTransfer: the token and amount', async () => {
      const data = `ESDTTransfer@${hex('USDC-c76f1f')}@0f4240`;
      expect(await egld(data)).toMatchObject({
        kind: 'token-transfer',
        method: 'ESDTTransfer',
        to: [to],
        amounts: [{ asset: 'USDC-c76f1f', value: '1000000' }],
        fee: { asset: 'EGLD', value: '500000000000000', decimals: 18 },
      });
    });

    it('ESDTTransfer calling a function, or any other data, is a contract call', async () => {
      const call = await egld(`ESDTTransfer@${hex('USDC-c76f1f')}@01@${hex('swap')}`);
      expect(call).toMatchObject({ kind: 'contract-call', amounts: [{ asset: 'USDC-c76f1f', value: '1' }] });
      const other = await egld('claimRewards', '0.5');
      expect(other).toMatchObject({
        kind: 'contract-call',
        method: 'claimRewards',
        data: 'claimRewards',
        amounts: [{ asset: 'EGLD', value: '500000000000000000', decimals: 18 }],
      });
    });
  });

  describe('VET', () => {
    it('a VIP-180 transfer, and the fee in VTHO', async () => {
      const data = `0xa9059cbb${word(ADDR(1))}${word('0x64')}`;
      const summary = await describeWith('VET', JSON.stringify({ to: TOKEN, data, gas: 80000 }));
      expect(summary).toMatchObject({
        kind: 'token-transfer',
        to: [ADDR(1)],
        amounts: [{ asset: TOKEN, value: '100' }],
        fee: { asset: 'VTHO', value: (80000n * 10n ** 13n).toString(), decimals: 18 },
      });
    });
  });

  describe('ADA', () => {
    it('outputs back to an input address are change', async () => {
      const ada = registry.get('ADA');
      const [a0, a1] = [
        await ada.deriveAddress({ mnemonic: derivation.mnemonic }, 0, false),
        await ada.deriveAddress({ mnemonic: derivation.mnemonic }, 1, false),
      ];
      const ops = tatumOperations(
        [{ address: a0, txHash: 'ab'.repeat(32), index: 0, lovelace: 5_000_000n }],
        [
          { address: a1, lovelace: 2_000_000n },
          { address: a0, lovelace: 2_800_000n },
        ],
      );
      expect(await describeWith('ADA', JSON.stringify(ops))).toEqual({
        chain: 'ADA',
        kind: 'transfer',
        from: [a0],
        to: [a1],
        amounts: [{ asset: 'ADA', value: '2000000', decimals: 6 }],
        change: [{ address: a0, value: '2800000' }],
        fee: { asset: 'ADA', value: '200000', decimals: 6 },
      });
    });
  });

  describe('FLOW', () => {
    const flow = (type: number, body: object) =>
      describeWith('FLOW', JSON.stringify({ type, body: { account: '0x01cf0e2f2f715450', ...body } }));

    it('TRANSFER of FLOW and FUSD', async () => {
      expect(await flow(2, { to: '0x179b6b1cb6755e31', amount: '1.5', currency: 'FLOW' })).toEqual({
        chain: 'FLOW',
        kind: 'transfer',
        method: 'TRANSFER',
        from: ['0x01cf0e2f2f715450'],
        to: ['0x179b6b1cb6755e31'],
        amounts: [{ asset: 'FLOW', value: '150000000', decimals: 8 }],
      });
      expect((await flow(2, { to: '0x179b6b1cb6755e31', amount: '2', currency: 'FUSD' })).kind).toBe(
        'token-transfer',
      );
    });

    it('custom Cadence and adding a key are contract calls, with the Cadence as data', async () => {
      const custom = await flow(8, { transaction: 'transaction { execute {} }', args: [] });
      expect(custom).toMatchObject({
        kind: 'contract-call',
        method: 'CUSTOM_TX',
        data: 'transaction { execute {} }',
        to: [],
        amounts: [],
      });
      const key = await flow(1, { publicKey: derivation.chains.FLOW.mainnet.generateAddressFromXPub['0'] });
      expect(key.notes?.[0]).toMatch(/adds a public key/);
    });
  });
});
