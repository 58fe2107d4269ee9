import { Test } from '@nestjs/testing';
import { ChainModule } from '@kms/chains';
import { PROMPTER, type Prompter } from '@kms/common';
import { buildKmsConfig, KMS_CONFIG, type KmsFlags } from '@kms/config';
import {
  PASSWORD_SOURCE,
  VaultWalletStore,
  WALLET_STORE,
  type PasswordSource,
  type WalletEntry,
  type WalletStore,
} from '@kms/storage';
import { InMemoryVault } from '@kms/storage/testing';
import { CLI_FLAGS } from '../cli/cli.module';
import { WalletManager } from './wallet-manager.service';

const ETH_KEY = '0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318';
const ETH_ADDRESS = '0x2c7536e3605d9c16a7a3d7b1898e529396a65c23';
const MNEMONIC =
  'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';

/**
 * WalletManager, the use cases behind the wallet commands, on a real chain registry and an in-memory
 * vault store: what it asks (and in which order, as tatum-kms's scripts expect), what it stores, and
 * which mistakes it refuses.
 */
async function manager(flags: KmsFlags = {}, answers: string[] = [], vault = new InMemoryVault()) {
  const events: string[] = [];
  let asked = false; // a real password source asks once and remembers
  const passwords: PasswordSource = {
    origin: 'test',
    password: async () => {
      if (!asked) events.push('password');
      asked = true;
      return 'wallet-manager-password';
    },
  };
  const prompter = {
    secret: async (question: string) => {
      events.push(`prompt: ${question}`);
      return answers.shift() ?? '';
    },
  } as unknown as Prompter;
  const store = new VaultWalletStore(vault, passwords, 'kms-', {
    scryptCost: { N: 1024, r: 8, p: 1 },
  });
  const adds: WalletEntry[][] = [];
  const add = store.add.bind(store);
  store.add = async (entries) => {
    adds.push(entries);
    return add(entries);
  };
  const moduleRef = await Test.createTestingModule({
    imports: [ChainModule.forRoot()],
    providers: [
      WalletManager,
      { provide: KMS_CONFIG, useValue: buildKmsConfig(flags, {}) },
      { provide: CLI_FLAGS, useValue: flags },
      { provide: PROMPTER, useValue: prompter },
      { provide: PASSWORD_SOURCE, useValue: passwords },
      { provide: WALLET_STORE, useValue: store as WalletStore },
    ],
  }).compile();
  await moduleRef.init(); // the registry collects the chain signers at init
  return { wallets: moduleRef.get(WalletManager), store, events, adds, close: () => moduleRef.close() };
}

describe('WalletManager', () => {
  it('generatewallet touches neither the password nor the store', async () => {
    const { wallets, events, adds, close } = await manager();
    const wallet = await wallets.generateWallet('BTC');
    expect(wallet).toMatchObject({ mnemonic: expect.any(String), xpub: expect.stringMatching(/^xpub/) });
    expect(events).toEqual([]);
    expect(adds).toEqual([]);
    await close();
  });

  it('storemanagedwallet asks the password first, then the mnemonic (tatum-kms order)', async () => {
    const { wallets, events, store, close } = await manager({}, [MNEMONIC]);
    const { signatureId, xpub } = await wallets.storeManagedWallet('ETH');
    expect(events).toEqual(['password', 'prompt: Enter mnemonic to store: ']);
    expect(xpub).toMatch(/^xpub/);
    await expect(store.get(signatureId)).resolves.toEqual({
      mnemonic: MNEMONIC,
      xpub,
      chain: 'ETH',
      testnet: false,
    });
    await close();
  });

  it('storemanagedprivatekey validates the key before asking the password, and stores it for its network', async () => {
    const { wallets, events, store, close } = await manager({ testnet: true }, [ETH_KEY]);
    const { signatureId } = await wallets.storeManagedPrivateKey('ETH');
    expect(events).toEqual(['prompt: Enter private key to store: ', 'password']);
    await expect(store.get(signatureId)).resolves.toMatchObject({
      privateKey: ETH_KEY,
      chain: 'ETH',
      testnet: true,
    });
    const bad = await manager({}, ['not-a-key']);
    await expect(bad.wallets.storeManagedPrivateKey('ETH')).rejects.toThrow();
    expect(bad.events).toEqual(['prompt: Enter private key to store: ']);
    expect(bad.adds).toEqual([]);
    await Promise.all([close(), bad.close()]);
  });

  it('a key batch is stored in one write, with progress every 100 keys and at the end', async () => {
    const { wallets, adds, close } = await manager();
    const progress: number[] = [];
    const keys = await wallets.generateManagedPrivateKeyBatch('ETH', 250, (done) => progress.push(done));
    expect(keys).toHaveLength(250);
    expect(new Set(keys.map((key) => key.address)).size).toBe(250);
    expect(adds).toHaveLength(1);
    expect(progress).toEqual([100, 200, 250]);
    await close();
  });

  it('secret chains keep their key under `secret`, as the wallet file of tatum-kms does', async () => {
    const { wallets, store, close } = await manager();
    const [{ signatureId }] = await wallets.generateManagedPrivateKeyBatch('XRP', 1);
    const entry = await store.get(signatureId);
    expect(entry).toMatchObject({
      secret: expect.stringMatching(/^s/),
      address: expect.stringMatching(/^r/),
    });
    expect('privateKey' in entry).toBe(false);
    await close();
  });

  it('derives addresses and keys of a stored wallet, and refuses a network flag that does not fit it', async () => {
    const vault = new InMemoryVault();
    const { wallets, close } = await manager({}, [ETH_KEY], vault);
    const { signatureId } = await wallets.storeManagedPrivateKey('ETH');
    await expect(wallets.address(signatureId, undefined)).resolves.toBe(ETH_ADDRESS);
    await expect(wallets.privateKey(signatureId, 0)).resolves.toBe(ETH_KEY);
    await close();
    const onTestnet = await manager({ testnet: true }, [], vault);
    await expect(onTestnet.wallets.address(signatureId, undefined)).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining(
        'is a mainnet wallet, but the command line asks for testnet: drop --testnet',
      ),
    });
    await onTestnet.close();
  });
});
