import type { ChainRegistry, NewWallet } from '@kms/chains';
import type { WalletEntry, WalletStore } from '@kms/storage';
import type { DemoWallet } from './demo-chains';

/**
 * One new random mainnet wallet per chain, in the chain's native model (what `generatemanagedwallet`
 * makes), stored in ONE write. What is returned keeps only public facts (signatureId, xpub or address):
 * the secrets exist in the store alone.
 */
export async function createDemoWallets(
  registry: ChainRegistry,
  store: WalletStore,
  chains: readonly string[],
): Promise<DemoWallet[]> {
  const made = await Promise.all(
    chains.map(async (chain) => ({
      signer: registry.get(chain),
      wallet: await registry.get(chain).generateWallet(false),
    })),
  );
  const ids = await store.add(
    made.map(({ signer, wallet }) => ({ ...wallet, chain: signer.chain, testnet: false }) as WalletEntry),
  );
  return made.map(({ signer, wallet }, i) => {
    const { xpub, address } = publicPart(wallet);
    return {
      chain: signer.chain,
      signatureId: ids[i],
      address: (index: number) =>
        address !== undefined ? Promise.resolve(address) : signer.deriveAddress({ xpub }, index, false),
    };
  });
}

function publicPart(wallet: NewWallet): { xpub?: string; address?: string } {
  return 'address' in wallet ? { address: wallet.address } : { xpub: wallet.xpub };
}
