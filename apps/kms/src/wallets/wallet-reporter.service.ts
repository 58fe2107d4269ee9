import { Injectable } from '@nestjs/common';
import { ChainRegistry } from '@kms/chains';
import { InjectKmsConfig, type KmsConfig } from '@kms/config';
import {
  findLegacyBackups,
  InjectPasswordSource,
  InjectWalletStore,
  legacyBackupWarning,
  walletKind,
  type PasswordSource,
  type WalletStore,
} from '@kms/storage';

export interface WalletReport {
  signatureId: string;
  type?: string;
  chain?: string;
  testnet?: boolean;
  warnings: string[];
}

/**
 * Describes stored wallets without revealing any secret: kind, chain, network and what looks wrong;
 * `warnings` (an array of strings, as tatum-kms's) names problems of the whole set-up.
 */
@Injectable()
export class WalletReporter {
  constructor(
    private readonly chains: ChainRegistry,
    @InjectWalletStore() private readonly store: WalletStore,
    @InjectPasswordSource() private readonly passwords: PasswordSource,
    @InjectKmsConfig() private readonly config: KmsConfig,
  ) {}

  async report(ids?: string[]): Promise<{ wallets: WalletReport[]; warnings: string[] }> {
    await this.passwords.password();
    const all = await this.store.export();
    const selected = ids?.length ? ids : Object.keys(all);
    const wallets = selected.map((signatureId): WalletReport => {
      const entry = all[signatureId];
      if (!entry) return { signatureId, warnings: ['not found in the wallet store'] };
      const warnings: string[] = [];
      const type = walletKind(entry);
      if (!this.chains.has(entry.chain)) warnings.push(`chain ${entry.chain} is not supported by this KMS`);
      if (entry.testnet !== this.config.testnet) {
        warnings.push(
          `a ${entry.testnet ? 'testnet' : 'mainnet'} wallet: the daemon signs for it only when run ${entry.testnet ? 'with' : 'without'} --testnet`,
        );
      }
      if (type === 'mnemonic')
        warnings.push('mnemonic wallet: pending transactions must carry a derivation index');
      return { signatureId, type, chain: entry.chain, testnet: entry.testnet, warnings };
    });
    const warnings = Object.keys(all).length === 0 ? ['the wallet store is empty'] : [];
    for (const backup of await findLegacyBackups(this.config.walletPath))
      warnings.push(legacyBackupWarning(backup));
    return { wallets, warnings };
  }
}
