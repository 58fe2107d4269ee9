/**
 * The ERC-20 calls that move or allow tokens, decoded from calldata (also VIP-180 on VET and TRC-20
 * on TRON, which share the ABI). Strict: the exact selector, exactly the argument words, addresses
 * with zero padding; anything else is not decoded (undefined), never guessed.
 */
export type Erc20Call =
  | { method: 'transfer'; to: string; amount: bigint }
  | { method: 'transferFrom'; from: string; to: string; amount: bigint }
  | { method: 'approve'; spender: string; amount: bigint };

/** Function selectors (first 4 bytes of keccak256 of the signature). */
const SELECTORS: Record<string, { method: Erc20Call['method']; words: number }> = {
  a9059cbb: { method: 'transfer', words: 2 }, // transfer(address,uint256)
  '23b872dd': { method: 'transferFrom', words: 3 }, // transferFrom(address,address,uint256)
  '095ea7b3': { method: 'approve', words: 2 }, // approve(address,uint256)
};

/**
 * Decodes `data` (hex, with or without 0x); addresses come back as 40 lowercase hex digits without
 * prefix, for the chain to format.
 */
export function decodeErc20Call(data: string): Erc20Call | undefined {
  const hex = data.replace(/^0x/i, '').toLowerCase();
  if (!/^[0-9a-f]*$/.test(hex) || hex.length < 8) return undefined;
  const known = SELECTORS[hex.slice(0, 8)];
  if (known === undefined || hex.length !== 8 + 64 * known.words) return undefined;
  const words = Array.from({ length: known.words }, (_, i) => hex.slice(8 + 64 * i, 8 + 64 * (i + 1)));
  const address = (word: string) => (word.startsWith('0'.repeat(24)) ? word.slice(24) : undefined);
  const uint = (word: string) => BigInt(`0x${word}`);
  switch (known.method) {
    case 'transfer': {
      const to = address(words[0]);
      return to === undefined ? undefined : { method: 'transfer', to, amount: uint(words[1]) };
    }
    case 'transferFrom': {
      const [from, to] = [address(words[0]), address(words[1])];
      return from === undefined || to === undefined
        ? undefined
        : { method: 'transferFrom', from, to, amount: uint(words[2]) };
    }
    case 'approve': {
      const spender = address(words[0]);
      return spender === undefined ? undefined : { method: 'approve', spender, amount: uint(words[1]) };
    }
  }
}
