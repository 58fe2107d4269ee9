import type { ChainSigner } from '@kms/chains';
import type { WalletEntry } from '@kms/storage';
import type { PendingTransaction } from '@kms/tatum';
import { resolveKeys } from './key-resolver';

const signer = {
  chain: 'ETH',
  derivePrivateKey: async (_m: string, i: number) => `key-${i}`,
} as unknown as ChainSigner;
const wallets: Record<string, WalletEntry> = {
  testnet: { privateKey: 'testnet-key', chain: 'ETH', testnet: true },
  other: { privateKey: 'other-key', chain: 'ETH', testnet: true },
  mainnet: { privateKey: 'mainnet-key', chain: 'ETH', testnet: false },
};
const tx = (fields: Partial<PendingTransaction>): PendingTransaction => ({
  id: 'pending-1',
  chain: 'ETH',
  serializedTransaction: '{}',
  hashes: [],
  received: { id: 'pending-1' },
  ...fields,
});

describe('resolveKeys: only the wallets the cycle asked for', () => {
  const lookup = jest.fn(async (id: string) => wallets[id]);
  const options = { testnet: true, allowed: new Set(['testnet']) };

  beforeEach(() => lookup.mockClear());

  it('signs with an allowed wallet', async () => {
    await expect(resolveKeys(tx({ hashes: ['testnet'] }), lookup, signer, options)).resolves.toEqual({
      keys: ['testnet-key'],
    });
  });

  it.each([
    ['a mainnet wallet in hashes', tx({ hashes: ['mainnet'] }), 'mainnet'],
    ['a wallet outside --wallets in hashes', tx({ hashes: ['testnet', 'other'] }), 'other'],
    [
      'a mainnet wallet in signatures',
      tx({ hashes: ['testnet'], signatures: [{ id: 'mainnet', index: 0 }] }),
      'mainnet',
    ],
    ['an unknown wallet', tx({ hashes: ['nobody'] }), 'nobody'],
    [
      "an off-chain withdrawal's first wallet",
      tx({ hashes: ['mainnet'], withdrawalId: 'w', withdrawalResponses: [{ vIn: '0' }] }),
      'mainnet',
    ],
  ])('refuses %s before reading the store', async (_case, pending, id) => {
    const utxo = { ...signer, signsWith: 'keySet' } as ChainSigner;
    await expect(resolveKeys(pending, lookup, utxo, options)).rejects.toMatchObject({
      code: 'WALLET_NOT_ALLOWED',
      message: expect.stringContaining(`Wallet ${id} is not one of the wallets this daemon asked`),
    });
    expect(lookup).not.toHaveBeenCalledWith(id);
  });
});

describe('resolveKeys: what each kind of signer receives', () => {
  const entries: Record<string, WalletEntry> = {
    sender: { privateKey: 'sender-key', chain: 'ETH', testnet: true },
    payer: { privateKey: 'payer-key', chain: 'ETH', testnet: true },
    again: { privateKey: 'sender-key', chain: 'ETH', testnet: true },
  };
  const lookup = async (id: string) => entries[id];
  const options = { testnet: true, allowed: new Set(Object.keys(entries)) };
  const pending = tx({ hashes: ['sender', 'payer', 'again'] });

  it("'firstKey' gets the first key, 'everyKey' every named wallet's key once (SOL: sender and fee payer)", async () => {
    await expect(resolveKeys(pending, lookup, signer, options)).resolves.toEqual({ keys: ['sender-key'] });
    const sol = { ...signer, signsWith: 'everyKey' } as ChainSigner;
    await expect(resolveKeys(pending, lookup, sol, options)).resolves.toEqual({
      keys: ['sender-key', 'payer-key'],
    });
  });

  it("'everyKey' is an account chain: a key wallet used with an index is refused", async () => {
    const sol = { ...signer, signsWith: 'everyKey' } as ChainSigner;
    await expect(
      resolveKeys(tx({ hashes: ['sender'], index: 2 }), lookup, sol, options),
    ).rejects.toMatchObject({ code: 'INDEX_NOT_ALLOWED' });
  });
});
