import { randomBytes } from 'node:crypto';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { createBase58check } from '@scure/base';
import { type DemoChain, type DemoPending, indexOf, short } from './demo-chain';
import { tronTransfer } from './tron-transfer';

const base58check = createBase58check(sha256);
const SUN_PER_TRX = 1_000_000;

/**
 * TRON, as Tatum's SDK parks it: the JSON of an unsigned TronWeb transaction (a TRX TransferContract
 * from the wallet's address `index`), the wallet in `hashes`. The signed JSON carries
 * `signature: [r || s || v]`; the check recovers the public key from it over `txID` (@noble/curves)
 * and derives its TRON address, which must be the wallet's, and checks that nothing else changed.
 */
export const TRON_DEMO: DemoChain = {
  chain: 'TRON',

  async pending(wallet, variant): Promise<DemoPending> {
    const owner = await wallet.address(variant);
    const now = Date.now();
    const amount = (10 + variant) * SUN_PER_TRX;
    const tx = tronTransfer({
      ownerHex: Buffer.from(base58check.decode(owner)).toString('hex'),
      toHex: `41${randomBytes(20).toString('hex')}`,
      amount,
      refBlockBytes: randomBytes(2).toString('hex'),
      refBlockHash: randomBytes(8).toString('hex'),
      timestamp: now,
      expiration: now + 60_000,
    });
    return {
      label: `transfer of ${amount / SUN_PER_TRX} TRX`,
      item: {
        chain: 'TRON',
        serializedTransaction: JSON.stringify(tx),
        hashes: [wallet.signatureId],
        index: variant,
      },
    };
  },

  async txId(txData) {
    return String((JSON.parse(txData) as { txID?: unknown }).txID);
  },

  async verify({ signed, item, wallet }) {
    const tx = JSON.parse(signed) as { txID: string; raw_data_hex: string; signature?: string[] };
    const pending = JSON.parse(String(item.serializedTransaction)) as { txID: string; raw_data_hex: string };
    if (tx.txID !== pending.txID || tx.raw_data_hex !== pending.raw_data_hex)
      return { verified: false, detail: 'the signed transaction is not the pending one' };
    const [signature] = tx.signature ?? [];
    if (!signature || !/^[0-9a-f]{130}$/i.test(signature)) return { verified: false, detail: 'no signature' };
    const publicKey = secp256k1.Signature.fromHex(signature.slice(0, 128), 'compact')
      .addRecoveryBit(parseInt(signature.slice(128), 16) - 27)
      .recoverPublicKey(Buffer.from(tx.txID, 'hex'))
      .toBytes(false);
    const signer = base58check.encode(Uint8Array.from([0x41, ...keccak_256(publicKey.slice(1)).slice(-20)]));
    const index = indexOf(item);
    return signer === (await wallet.address(index))
      ? { verified: true, detail: `signer ${short(signer)} = wallet address ${index}` }
      : { verified: false, detail: `signer ${short(signer)} is not the wallet's address ${index}` };
  },
};
