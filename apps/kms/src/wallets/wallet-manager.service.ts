import { Inject, Injectable } from '@nestjs/common';
import { ChainRegistry, type ChainSigner, type KeyPair } from '@kms/chains';
import { InvalidArgumentError, PROMPTER, type Prompter } from '@kms/common';
import { InjectKmsConfig, type KmsConfig, type KmsFlags } from '@kms/config';
import {
  InjectPasswordSource,
  InjectWalletStore,
  type PasswordSource,
  type WalletEntry,
  type WalletMap,
  type WalletStore,
} from '@kms/storage';
import { CLI_FLAGS } from '../cli/cli.module';
import { addressOf, privateKeyOf } from './wallet-keys';

/**
 * The wallet-management use cases behind the CLI commands. The password is asked before any other
 * secret, in tatum-kms's order, so scripts that pipe answers keep working.
 */
@Injectable()
export class WalletManager {
  constructor(
    private readonly chains: ChainRegistry,
    @InjectWalletStore() private readonly store: WalletStore,
    @InjectPasswordSource() private readonly passwords: PasswordSource,
    @Inject(PROMPTER) private readonly prompter: Prompter,
    @InjectKmsConfig() private readonly config: KmsConfig,
    @Inject(CLI_FLAGS) private readonly flags: KmsFlags,
  ) {}

  generateWallet(chain: string) {
    return this.chains.get(chain).generateWallet(this.config.testnet);
  }

  async generateManagedWallet(
    chain: string,
  ): Promise<{ signatureId: string; address?: string; xpub?: string }> {
    const signer = this.chains.get(chain);
    await this.passwords.password();
    const wallet = await signer.generateWallet(this.config.testnet);
    const [signatureId] = await this.store.add([this.entry(signer, wallet)]);
    return { signatureId, ...pick(wallet, 'address', 'xpub') };
  }

  async storeManagedWallet(chain: string): Promise<{ signatureId: string; xpub?: string }> {
    const signer = this.chains.get(chain);
    await this.passwords.password();
    const mnemonic = await this.prompter.secret('Enter mnemonic to store: ');
    const wallet = await signer.walletFromMnemonic(mnemonic, this.config.testnet);
    const [signatureId] = await this.store.add([this.entry(signer, wallet)]);
    return { signatureId, ...pick(wallet, 'xpub') };
  }

  async storeManagedPrivateKey(chain: string): Promise<{ signatureId: string }> {
    const signer = this.chains.get(chain);
    const secret = await this.prompter.secret('Enter private key to store: ');
    const key = await signer.importPrivateKey(secret, this.config.testnet);
    await this.passwords.password();
    const [signatureId] = await this.store.add([this.keyEntry(signer, key)]);
    return { signatureId };
  }

  /** `count` new key wallets stored in ONE write; `onProgress` sees how many keys exist so far. */
  async generateManagedPrivateKeyBatch(
    chain: string,
    count: number,
    onProgress?: (done: number) => void,
  ): Promise<Array<{ signatureId: string; address: string }>> {
    const signer = this.chains.get(chain);
    await this.passwords.password();
    const keys: KeyPair[] = [];
    for (let i = 0; i < count; i++) {
      keys.push(await signer.generateKeyPair(this.config.testnet));
      if (onProgress && (i + 1) % 100 === 0) onProgress(i + 1);
    }
    onProgress?.(count);
    const ids = await this.store.add(keys.map((key) => this.keyEntry(signer, key)));
    return ids.map((signatureId, i) => ({ signatureId, address: keys[i].address }));
  }

  async getWallet(id: string): Promise<WalletEntry> {
    await this.passwords.password();
    return this.store.get(id);
  }

  async privateKey(id: string, index: number | undefined): Promise<string> {
    const entry = await this.walletOfThisNetwork(id);
    return privateKeyOf(entry, index, () => this.chains.get(entry.chain));
  }

  async address(id: string, index: number | undefined): Promise<string> {
    const entry = await this.walletOfThisNetwork(id);
    return addressOf(entry, index, () => this.chains.get(entry.chain));
  }

  /**
   * A wallet derives on the network it was created for. A `--testnet` (or `--no-testnet`) given for a
   * wallet of the other network is a mistake said out loud, never silently ignored.
   */
  private async walletOfThisNetwork(id: string): Promise<WalletEntry> {
    const entry = await this.getWallet(id);
    const asked = this.flags.testnet;
    if (asked !== undefined && asked !== Boolean(entry.testnet)) {
      const network = (testnet: boolean) => (testnet ? 'testnet' : 'mainnet');
      throw new InvalidArgumentError(
        `Wallet ${id} is a ${network(Boolean(entry.testnet))} wallet, but the command line asks for ${network(asked)}: drop ${asked ? '--testnet' : '--no-testnet'}`,
      );
    }
    return entry;
  }

  async remove(id: string): Promise<void> {
    await this.passwords.password();
    await this.store.remove(id);
  }

  async exportAll(): Promise<WalletMap> {
    await this.passwords.password();
    return this.store.export();
  }

  /** A key wallet; secret chains keep their secret under `secret`, as tatum-kms's wallet file does. */
  private keyEntry(signer: ChainSigner, key: KeyPair): WalletEntry {
    return signer.walletModel === 'secret'
      ? this.entry(signer, { address: key.address, secret: key.privateKey })
      : this.entry(signer, key);
  }

  private entry(signer: ChainSigner, wallet: object): WalletEntry {
    return { ...wallet, chain: signer.chain, testnet: this.config.testnet } as WalletEntry;
  }
}

function pick<T extends object, K extends string>(value: T, ...keys: K[]): Partial<Record<K, string>> {
  const result: Partial<Record<K, string>> = {};
  for (const key of keys) {
    const field = (value as Record<string, unknown>)[key];
    if (typeof field === 'string') result[key] = field;
  }
  return result;
}
