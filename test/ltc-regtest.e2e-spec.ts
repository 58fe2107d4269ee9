import ecc from '@bitcoinerlab/secp256k1';
import { type ChainNetwork, findUtxoChain, type SignRequest } from '@kms/chains';
import { Transaction, address as baddress, payments, script as bscript } from 'bitcoinjs-lib';
import { ECPairFactory } from 'ecpair';
import { UtxoSigner } from '@kms/chains/testing';
import signing from './fixtures/signing.json';
import { LitecoinRpcError, Litecoind } from './support/litecoind';

/**
 * LTC signing against a real Litecoin Core node (regtest): coinbase outputs paid to keys derived from
 * the vector mnemonic on the testnet path are spent through the UTXO signer (called directly until
 * the daemon pipeline routes it), broadcast, mined and checked. Needs Debian's `litecoind`
 * (`apt-get install -y litecoind`); skipped, and says so, only when it is not installed.
 */
const AVAILABLE = Litecoind.available();
if (!AVAILABLE) {
  console.warn('ltc-regtest.e2e-spec: SKIPPED, litecoind is not installed (apt-get install -y litecoind)');
}
const describeWithNode = AVAILABLE ? describe : describe.skip;

const MNEMONIC = signing.mnemonic;
const FEE = 100_000; // 0.001 LTC, far above the minimum relay fee
/** Regtest shares testnet's base58 versions (0x6f/0x3a); bech32 uses `rltc`. */
const REGTEST = { ...findUtxoChain('LTC')!.testnet, bech32: 'rltc' };
const NO_NETWORK: ChainNetwork = {
  tatum: () => Promise.reject(new Error('unused')),
  node: () => Promise.reject(new Error('unused')),
};

interface Utxo {
  txid: string;
  vout: number;
  satoshis: number;
  script: string;
}

interface Output {
  satoshis: number;
  script: string;
}

interface Block {
  tx: Array<{ txid: string; vout: Array<{ n: number; value: number; scriptPubKey: { hex: string } }> }>;
}

describeWithNode(`LTC regtest (${AVAILABLE ? Litecoind.version() : 'litecoind not installed'})`, () => {
  const ltc = new UtxoSigner(findUtxoChain('LTC')!);
  let node: Litecoind;
  const key = (index: number) => ltc.derivePrivateKey(MNEMONIC, index, true);
  const address = (index: number) => ltc.deriveAddress({ mnemonic: MNEMONIC }, index, true);
  const scriptOf = (addr: string) => Buffer.from(baddress.toOutputScript(addr, REGTEST)).toString('hex');
  /** P2WPKH address of key `index` (LTC deposit addresses are P2PKH; segwit spends are checked too). */
  const segwitAddress = async (index: number) => {
    const { publicKey } = ECPairFactory(ecc).fromWIF(await key(index), REGTEST);
    return payments.p2wpkh({ pubkey: publicKey, network: REGTEST }).address!;
  };

  beforeAll(async () => {
    node = await Litecoind.start();
  }, 90_000);

  afterAll(async () => {
    await node?.stop();
  }, 30_000);

  /** Mines one block to `addr` and returns its coinbase output paying `addr`. */
  async function coinbaseTo(addr: string): Promise<Utxo> {
    const [hash] = await node.rpc<string[]>('generatetoaddress', [1, addr]);
    const block = await node.rpc<Block>('getblock', [hash, 2]);
    const coinbase = block.tx[0];
    const script = scriptOf(addr);
    const out = coinbase.vout.find((o) => o.scriptPubKey.hex === script)!;
    return { txid: coinbase.txid, vout: out.n, satoshis: Math.round(out.value * 1e8), script };
  }

  /** The bitcore JSON Tatum would send, with `hash` = txid of the unsigned transaction. */
  function bitcoreJson(utxos: Utxo[], outputs: Output[]): string {
    const tx = new Transaction();
    tx.version = 2;
    for (const utxo of utxos) tx.addInput(Buffer.from(utxo.txid, 'hex').reverse(), utxo.vout, 0xffffffff);
    for (const output of outputs) tx.addOutput(Buffer.from(output.script, 'hex'), BigInt(output.satoshis));
    const fee =
      utxos.reduce((sum, u) => sum + u.satoshis, 0) - outputs.reduce((sum, o) => sum + o.satoshis, 0);
    return JSON.stringify({
      hash: tx.getId(),
      version: 2,
      inputs: utxos.map((u) => ({
        prevTxId: u.txid,
        outputIndex: u.vout,
        sequenceNumber: 0xffffffff,
        script: '',
        scriptString: '',
        output: { satoshis: u.satoshis, script: u.script },
      })),
      outputs,
      nLockTime: 0,
      changeIndex: outputs.length - 1,
      fee,
    });
  }

  const request = (serializedTransaction: string, overrides: Partial<SignRequest> = {}): SignRequest => ({
    serializedTransaction,
    keys: [],
    withdrawal: false,
    testnet: true,
    network: NO_NETWORK,
    ...overrides,
  });

  function tamper(txHex: string): string {
    const tx = Transaction.fromHex(txHex);
    const chunks = bscript.decompile(tx.ins[0].script) as Buffer[];
    const signature = Buffer.from(chunks[0]);
    signature[10] ^= 0x01;
    tx.setInputScript(0, bscript.compile([signature, chunks[1]]));
    return tx.toHex();
  }

  /** Mines a block and checks the transaction is in it and `output` pays `amount` to `script`. */
  async function expectConfirmed(
    txid: string,
    output: number,
    amount: number,
    script: string,
  ): Promise<void> {
    const [hash] = await node.rpc<string[]>('generatetoaddress', [1, await address(9)]);
    const block = await node.rpc<{ tx: string[] }>('getblock', [hash, 1]);
    expect(block.tx).toContain(txid);
    const utxo = await node.rpc<{ confirmations: number; value: number; scriptPubKey: { hex: string } }>(
      'gettxout',
      [txid, output],
    );
    expect(utxo.confirmations).toBe(1);
    expect(Math.round(utxo.value * 1e8)).toBe(amount);
    expect(utxo.scriptPubKey.hex).toBe(script);
  }

  let p2pkhCoin: Utxo;
  let segwitCoin: Utxo;
  let withdrawalCoin: Utxo;

  it('accepts our LTC testnet addresses (P2PKH, version 0x6f) and funds them with mature coinbases', async () => {
    const addr = await address(0);
    expect(addr).toMatch(/^[mn]/);
    expect(await node.rpc<{ isvalid: boolean }>('validateaddress', [addr])).toMatchObject({ isvalid: true });
    expect(await node.rpc<{ isvalid: boolean }>('validateaddress', [await segwitAddress(1)])).toMatchObject({
      isvalid: true,
    });

    p2pkhCoin = await coinbaseTo(addr);
    segwitCoin = await coinbaseTo(await segwitAddress(1));
    withdrawalCoin = await coinbaseTo(await address(2));
    await node.rpc('generatetoaddress', [101, await address(9)]); // coinbase maturity is 100
    expect(await node.rpc<number>('getblockcount')).toBe(104);
  }, 60_000);

  it('broadcasts and confirms a P2PKH + P2WPKH spend signed from bitcore JSON; a tampered signature is rejected', async () => {
    const recipient = await address(5);
    const amount = 12_345_678;
    const change = p2pkhCoin.satoshis + segwitCoin.satoshis - amount - FEE;
    const json = bitcoreJson(
      [p2pkhCoin, segwitCoin],
      [
        { satoshis: amount, script: scriptOf(recipient) },
        { satoshis: change, script: scriptOf(await address(0)) },
      ],
    );
    // keys in another order, plus one unrelated key
    const txData = await ltc.signTransaction(
      request(json, { keys: [await key(7), await key(1), await key(0)] }),
    );
    expect(Transaction.fromHex(txData).hasWitnesses()).toBe(true);

    const [tampered] = await node.rpc<Array<{ allowed: boolean; 'reject-reason'?: string }>>(
      'testmempoolaccept',
      [[tamper(txData)]],
    );
    expect(tampered.allowed).toBe(false);
    expect(tampered['reject-reason']).toMatch(/script-verify-flag-failed/);
    await expect(node.rpc('sendrawtransaction', [tamper(txData)])).rejects.toBeInstanceOf(LitecoinRpcError);
    const [accepted] = await node.rpc<Array<{ allowed: boolean }>>('testmempoolaccept', [[txData]]);
    expect(accepted.allowed).toBe(true);

    const txid = await node.rpc<string>('sendrawtransaction', [txData]);
    expect(txid).toBe(Transaction.fromHex(txData).getId());
    await expectConfirmed(txid, 0, amount, scriptOf(recipient));
  }, 60_000);

  it('broadcasts and confirms an off-chain withdrawal signed from raw hex with per-input keys', async () => {
    const recipient = await address(6);
    const amount = withdrawalCoin.satoshis - FEE;
    const tx = new Transaction();
    tx.version = 2;
    tx.addInput(Buffer.from(withdrawalCoin.txid, 'hex').reverse(), withdrawalCoin.vout, 0xffffffff);
    tx.addOutput(Buffer.from(scriptOf(recipient), 'hex'), BigInt(amount));

    const txData = await ltc.signTransaction(
      request(tx.toHex(), { withdrawal: true, inputKeys: [await key(2), undefined] }),
    );
    const txid = await node.rpc<string>('sendrawtransaction', [txData]);
    expect(txid).toBe(Transaction.fromHex(txData).getId());
    await expectConfirmed(txid, 0, amount, scriptOf(recipient));
  }, 60_000);
});
