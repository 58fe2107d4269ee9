import type { ChainSigner } from '@kms/chains';
import { InvalidIndexError } from '@kms/chains';
import { walletKind, type WalletEntry } from '@kms/storage';

/**
 * The address and private key of a stored wallet at an index. A mnemonic wallet derives child
 * `index` (0 when omitted, as tatum-kms does); a key or secret wallet holds one key, so only index 0
 * (or none) is accepted for it.
 */
export async function addressOf(
  entry: WalletEntry,
  index: number | undefined,
  signer: () => ChainSigner,
): Promise<string> {
  if (walletKind(entry) === 'mnemonic') {
    const wallet = entry as { mnemonic: string; xpub?: string };
    return signer().deriveAddress(wallet, index ?? 0, entry.testnet);
  }
  assertSingleKeyIndex(index);
  if ('address' in entry && entry.address) return entry.address;
  const { privateKey } = entry as { privateKey: string };
  return (await signer().importPrivateKey(privateKey, entry.testnet)).address;
}

export async function privateKeyOf(
  entry: WalletEntry,
  index: number | undefined,
  signer: () => ChainSigner,
): Promise<string> {
  switch (walletKind(entry)) {
    case 'mnemonic':
      return signer().derivePrivateKey((entry as { mnemonic: string }).mnemonic, index ?? 0, entry.testnet);
    case 'secret':
      assertSingleKeyIndex(index);
      return (entry as { secret: string }).secret;
    case 'privateKey':
      assertSingleKeyIndex(index);
      return (entry as { privateKey: string }).privateKey;
  }
}

function assertSingleKeyIndex(index: number | undefined): void {
  if (index !== undefined && index !== 0) {
    throw new InvalidIndexError(
      `This wallet holds a single private key: omit the index or use 0 (got ${index})`,
    );
  }
}
