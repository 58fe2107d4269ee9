import { randomBytes } from 'node:crypto';
import { type DemoChain, type DemoPending, indexOf, short } from './demo-chain';

/** Tether's USDT contract on Ethereum mainnet. */
const USDT = '0xdac17f958d2ee523a2206206994597c13d831ec7';
const ETHEREUM_MAINNET = 1n;

const ethers = () => import('ethers');

/**
 * ETH, as Tatum's SDK parks it: the JSON of a legacy transaction (`to`, `value` in wei, `data`,
 * `nonce`, `gasPrice`, `gas`), the wallet in `hashes` and its key in `index`. The variants take turns:
 * a complete native transfer; a USDT transfer without nonce and gas price (the KMS asks the API for
 * them); a transfer of 250 ETH. The check recovers the signer from the signature with ethers.
 */
export const ETH_DEMO: DemoChain = {
  chain: 'ETH',

  async pending(wallet, variant): Promise<DemoPending> {
    const to = `0x${randomBytes(20).toString('hex')}`;
    const base = { from: 0, to, gas: '21000' };
    const kind = variant % 3;
    const tx =
      kind === 0
        ? { ...base, value: '12300000000000000', nonce: 7 + variant, gasPrice: '20000000000' }
        : kind === 1
          ? { ...base, to: USDT, data: erc20Transfer(to, 25_000_000n), gas: '65000' }
          : { ...base, value: '250000000000000000000', nonce: 7 + variant, gasPrice: '21000000000' };
    const label = [
      'transfer of 0.0123 ETH',
      'USDT transfer, nonce and gas price from the API',
      'transfer of 250 ETH',
    ][kind];
    return {
      label,
      item: {
        chain: 'ETH',
        serializedTransaction: JSON.stringify(tx),
        hashes: [wallet.signatureId],
        index: variant,
      },
    };
  },

  async txId(txData) {
    return (await ethers()).Transaction.from(txData).hash!;
  },

  async verify({ signed, item, wallet }) {
    const tx = (await ethers()).Transaction.from(signed);
    const index = indexOf(item);
    const expected = (await wallet.address(index)).toLowerCase();
    const signer = tx.from?.toLowerCase();
    const payload = JSON.parse(String(item.serializedTransaction)) as { to: string };
    if (signer !== expected)
      return {
        verified: false,
        detail: `signer ${short(signer ?? 'none')} is not the wallet's address ${index}`,
      };
    if (tx.chainId !== ETHEREUM_MAINNET)
      return { verified: false, detail: `signed for chain id ${tx.chainId}` };
    if (tx.to?.toLowerCase() !== payload.to.toLowerCase())
      return { verified: false, detail: 'the signed recipient is not the pending one' };
    return { verified: true, detail: `signer ${short(signer)} = wallet address ${index}` };
  },
};

/** ERC-20 `transfer(to, amount)` call data. */
function erc20Transfer(to: string, amount: bigint): string {
  return `0xa9059cbb${to.slice(2).padStart(64, '0')}${amount.toString(16).padStart(64, '0')}`;
}
