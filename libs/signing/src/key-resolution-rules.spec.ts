import type { ChainSigner } from '@kms/chains';
import type { WalletEntry } from '@kms/storage';
import type { PendingTransaction } from '@kms/tatum';
import { resolveKeys } from './key-resolver';

/**
 * The key-resolution rules of docs/tatum-protocol.md, one row each: which keys a pending transaction
 * gets from the store, by the wallets it names (`hashes`, `signatures`), its `index`, the signer's
 * `signsWith`, and off-chain withdrawal inputs. Derivation is faked as `<mnemonic>/<index>` so each
 * row shows exactly which wallet and index produced a key.
 */
const wallets: Record<string, WalletEntry> = {
  keyA: { privateKey: 'key-a', chain: 'BTC', testnet: false },
  keyB: { privateKey: 'key-b', chain: 'BTC', testnet: false },
  seed: { mnemonic: 'seed', xpub: 'xpub', chain: 'BTC', testnet: false },
  seed2: { mnemonic: 'seed2', xpub: 'xpub2', chain: 'BTC', testnet: false },
  secret: { secret: 'family-seed', address: 'r...', chain: 'BTC', testnet: false },
  eth: { privateKey: 'eth-key', chain: 'ETH', testnet: false },
};
const signer = (signsWith: ChainSigner['signsWith']): ChainSigner =>
  ({
    chain: 'BTC',
    signsWith,
    derivePrivateKey: async (mnemonic: string, index: number) => `${mnemonic}/${index}`,
  }) as unknown as ChainSigner;
const tx = (fields: Partial<PendingTransaction>): PendingTransaction => ({
  id: 'p',
  chain: 'BTC',
  serializedTransaction: '{}',
  hashes: [],
  received: { id: 'p' },
  ...fields,
});
const resolve = (pending: PendingTransaction, signsWith: ChainSigner['signsWith'] = 'firstKey') =>
  resolveKeys(pending, async (id) => wallets[id], signer(signsWith), {
    testnet: false,
    allowed: new Set(Object.keys(wallets)),
  });

describe('key resolution rules', () => {
  it.each<[string, Partial<PendingTransaction>, ChainSigner['signsWith'], object]>([
    ['a key wallet in hashes gives its key', { hashes: ['keyA'] }, 'firstKey', { keys: ['key-a'] }],
    ['a secret wallet gives its secret', { hashes: ['secret'] }, 'firstKey', { keys: ['family-seed'] }],
    [
      'a mnemonic wallet in hashes derives at the transaction index',
      { hashes: ['seed'], index: 7 },
      'firstKey',
      { keys: ['seed/7'] },
    ],
    ['index 0 of a key wallet is its key', { hashes: ['keyA'], index: 0 }, 'firstKey', { keys: ['key-a'] }],
    [
      'account chains sign with the first key only',
      { hashes: ['keyA', 'keyB'] },
      'firstKey',
      { keys: ['key-a'] },
    ],
    [
      'UTXO chains get the deduplicated set',
      { hashes: ['keyA', 'keyB', 'keyA'] },
      'keySet',
      { keys: ['key-a', 'key-b'] },
    ],
    [
      'BCH gets every key in order, repeats included',
      { hashes: ['keyA', 'keyB', 'keyA'] },
      'keysByInput',
      { keys: ['key-a', 'key-b', 'key-a'] },
    ],
    [
      'signatures give each wallet at its own index, before hashes',
      {
        signatures: [
          { id: 'seed', index: 3 },
          { id: 'seed2', index: 1 },
        ],
        hashes: ['keyA'],
      },
      'keySet',
      { keys: ['seed/3', 'seed2/1', 'key-a'] },
    ],
    [
      'a mnemonic in hashes without an index is skipped when signatures give keys',
      { signatures: [{ id: 'seed', index: 2 }], hashes: ['seed2'] },
      'keySet',
      { keys: ['seed/2'] },
    ],
    [
      'an off-chain UTXO withdrawal derives input keys from the first wallet at each derivationKey, skipping vIn -1',
      {
        hashes: ['seed'],
        withdrawalId: 'w',
        withdrawalResponses: [
          { vIn: '0', address: { derivationKey: 4 } },
          { vIn: '-1' },
          { vIn: '1', address: { derivationKey: 9 } },
          { vIn: '2', address: { derivationKey: 4 } },
        ],
      } as Partial<PendingTransaction>,
      'keySet',
      { keys: ['seed/4', 'seed/9'], inputKeys: ['seed/4', undefined, 'seed/9', 'seed/4'] },
    ],
    [
      'an off-chain withdrawal of an account chain resolves like any transaction',
      {
        hashes: ['keyA'],
        withdrawalId: 'w',
        withdrawalResponses: [{ vIn: '0' }],
      } as Partial<PendingTransaction>,
      'firstKey',
      { keys: ['key-a'] },
    ],
  ])('%s', async (_rule, fields, signsWith, expected) => {
    await expect(resolve(tx(fields), signsWith)).resolves.toEqual(expected);
  });

  it.each<[string, Partial<PendingTransaction>, ChainSigner['signsWith'], string, RegExp]>([
    [
      'a mnemonic wallet without an index',
      { hashes: ['seed'] },
      'firstKey',
      'INDEX_REQUIRED',
      /mnemonic wallet seed is used without an index/,
    ],
    [
      'a key wallet asked at another index',
      { hashes: ['keyA'], index: 2 },
      'firstKey',
      'INDEX_NOT_ALLOWED',
      /holds a single private key, but the transaction asks for its key at index 2/,
    ],
    [
      'a wallet of another chain',
      { hashes: ['eth'] },
      'firstKey',
      'WRONG_CHAIN',
      /Wallet eth belongs to ETH, not BTC/,
    ],
    ['no wallet at all', { hashes: [] }, 'firstKey', 'NO_KEYS', /the transaction names no wallet/],
    [
      'an off-chain UTXO withdrawal from a key wallet',
      {
        hashes: ['keyA'],
        withdrawalId: 'w',
        withdrawalResponses: [{ vIn: '0' }],
      } as Partial<PendingTransaction>,
      'keySet',
      'NO_KEYS',
      /needs a mnemonic wallet/,
    ],
  ])('refuses %s', async (_rule, fields, signsWith, code, message) => {
    const failure = resolve(tx(fields), signsWith);
    await expect(failure).rejects.toMatchObject({ code, message: expect.stringMatching(message) });
    await expect(failure).rejects.not.toMatchObject({ message: expect.stringMatching(/key-a|seed\//) });
  });
});
