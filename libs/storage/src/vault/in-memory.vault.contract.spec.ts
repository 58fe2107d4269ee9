import { vaultContract } from '../testing/vault-contract';
import { InMemoryVault } from './in-memory.vault';

const shared = (options: ConstructorParameters<typeof InMemoryVault>[0]) => {
  const vault = new InMemoryVault(options);
  return { open: () => vault };
};

vaultContract('in-memory', () => shared({}));
vaultContract('in-memory, put only (as Azure)', () => shared({ atomicCreate: false }));
vaultContract('in-memory, batched puts (as VGS)', () => shared({ batchPuts: true }));
