import { randomBytes } from 'node:crypto';
import { sha512 } from '@noble/hashes/sha2.js';
import { type DemoChain, type DemoPending, short } from './demo-chain';

const codec = () => import('ripple-binary-codec');
const keypairs = () => import('ripple-keypairs');
const addresses = () => import('ripple-address-codec');
/** The prefix of a signed transaction's hash on the XRP Ledger ("TXN\0"). */
const TRANSACTION_ID_PREFIX = '54584E00';

/**
 * XRP, as Tatum's SDK parks it: the JSON of an XRPL Payment prepared by ripple-lib (Account, Fee in
 * drops, Sequence, LastLedgerSequence, Flags), the wallet in `hashes`. The check decodes the signed
 * blob with ripple-binary-codec, verifies TxnSignature over the signing data with ripple-keypairs, and
 * derives the account from SigningPubKey: it must be the wallet's address, and the Account.
 */
export const XRP_DEMO: DemoChain = {
  chain: 'XRP',

  async pending(wallet, variant): Promise<DemoPending> {
    const { encodeAccountID } = await addresses();
    const drops = 2_500_000 * (variant + 1);
    const payment = {
      TransactionType: 'Payment',
      Account: await wallet.address(0),
      Destination: encodeAccountID(randomBytes(20)),
      Amount: String(drops),
      Fee: '12',
      Sequence: 7 + variant,
      LastLedgerSequence: 95_000_000,
      Flags: 2147483648,
    };
    return {
      label: `payment of ${drops / 1_000_000} XRP`,
      item: { chain: 'XRP', serializedTransaction: JSON.stringify(payment), hashes: [wallet.signatureId] },
    };
  },

  async txId(txData) {
    const digest = sha512(Buffer.from(TRANSACTION_ID_PREFIX + txData, 'hex'));
    return Buffer.from(digest.subarray(0, 32)).toString('hex').toUpperCase();
  },

  async verify({ signed, item, wallet }) {
    const [{ decode, encodeForSigning }, { verify, deriveAddress }] = await Promise.all([
      codec(),
      keypairs(),
    ]);
    const { TxnSignature, ...unsigned } = decode(signed) as Record<string, unknown>;
    const publicKey = String(unsigned.SigningPubKey ?? '');
    const account = publicKey ? deriveAddress(publicKey) : '';
    const expected = await wallet.address(0);
    const pending = JSON.parse(String(item.serializedTransaction)) as Record<string, unknown>;
    if (account !== expected || unsigned.Account !== expected)
      return { verified: false, detail: `signer ${short(account)} is not the wallet's account` };
    if (unsigned.Destination !== pending.Destination || unsigned.Amount !== pending.Amount)
      return { verified: false, detail: 'the signed payment is not the pending one' };
    const valid =
      typeof TxnSignature === 'string' &&
      verify(encodeForSigning(unsigned as never), TxnSignature, publicKey);
    return valid
      ? { verified: true, detail: `signer ${short(account)} = the wallet's account` }
      : { verified: false, detail: 'TxnSignature does not verify' };
  },
};
