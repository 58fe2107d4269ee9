import { randomBytes } from 'node:crypto';
import { ed25519 } from '@noble/curves/ed25519.js';
import { base58 } from '@scure/base';
import { type DemoChain, type DemoPending, short } from './demo-chain';

const web3 = () => import('@solana/web3.js');
const LAMPORTS_PER_SOL = 1_000_000_000n;

/**
 * SOL, as Tatum's SDK parks it: `{"txData": <hex of the message>}` with the wallet as fee payer and
 * a blockhash that is long expired by the time the KMS signs (it takes a fresh one from the node), the
 * wallet in `hashes`. The KMS submits the signed transaction to the node itself and broadcasts its id;
 * the check reads the transaction the sandbox node received and verifies the fee payer's ed25519
 * signature over the message (@noble/curves), the fee payer being the wallet.
 */
export const SOL_DEMO: DemoChain = {
  chain: 'SOL',
  signedOnNode: true,

  async pending(wallet, variant): Promise<DemoPending> {
    const { PublicKey, SystemProgram, Transaction } = await web3();
    const payer = new PublicKey(await wallet.address(0));
    const lamports = (LAMPORTS_PER_SOL * BigInt(15 + variant)) / 10n;
    const transfer = SystemProgram.transfer({
      fromPubkey: payer,
      toPubkey: new PublicKey(randomBytes(32)),
      lamports,
    });
    const message = new Transaction({ feePayer: payer, recentBlockhash: base58.encode(randomBytes(32)) })
      .add(transfer)
      .serializeMessage();
    return {
      label: `transfer of ${Number(lamports) / 1e9} SOL, fresh blockhash from the node`,
      item: {
        chain: 'SOL',
        serializedTransaction: JSON.stringify({ txData: message.toString('hex') }),
        hashes: [wallet.signatureId],
      },
    };
  },

  async txId(txData) {
    return txData;
  },

  async verify({ signed, txId, wallet }) {
    const { Transaction } = await web3();
    const tx = Transaction.from(Buffer.from(signed, 'base64'));
    const payer = tx.feePayer?.toBase58();
    const expected = await wallet.address(0);
    if (payer !== expected)
      return { verified: false, detail: `fee payer ${short(payer ?? 'none')} is not the wallet` };
    const signature = tx.signature;
    if (!signature || base58.encode(signature) !== txId)
      return { verified: false, detail: 'the broadcast id is not the transaction signature' };
    const valid = ed25519.verify(signature, tx.serializeMessage(), base58.decode(expected));
    return valid
      ? { verified: true, detail: `ed25519 signature of fee payer ${short(expected)} (the wallet) verifies` }
      : { verified: false, detail: 'the fee payer signature does not verify' };
  },
};
