import { stat } from 'node:fs/promises';
import { Injectable } from '@nestjs/common';
import { ChainRegistry } from '@kms/chains';
import { InjectKmsConfig, type KmsConfig } from '@kms/config';
import { APPROVAL_KEY_CHAIN } from '@kms/four-eye';
import {
  findLegacyBackups,
  InjectPasswordSource,
  InjectWalletStore,
  legacyBackupWarning,
  walletKind,
  type PasswordSource,
  type WalletEntry,
  type WalletStore,
} from '@kms/storage';

/** The kind of a wallet as tatum-kms's report names it. */
export type ReportWalletType = 'MNEMONIC' | 'PRIVATE_KEY' | 'SECRET' | 'OTHER';

/** One wallet of the report, as tatum-kms writes it: no signatureId inside (it is the key), no secret. */
export interface WalletReport {
  type: ReportWalletType;
  chain: string;
  testnet: boolean;
  warnings?: string[];
}

/** tatum-kms's order: a mnemonic first, then a private key, then a secret; anything else is OTHER. */
function reportType(entry: WalletEntry): ReportWalletType {
  const fields = entry as unknown as Record<string, unknown>;
  if (typeof fields.mnemonic === 'string') return 'MNEMONIC';
  if (typeof fields.privateKey === 'string') return 'PRIVATE_KEY';
  if (typeof fields.secret === 'string') return 'SECRET';
  return 'OTHER';
}

/**
 * Describes stored wallets without revealing any secret, in tatum-kms's report shape: `wallets` is a map
 * by signatureId of `{type, chain, testnet, warnings?}`; `warnings` (strings) names problems of the whole
 * set-up: ids not in the store, a wallet file others can read, a kept tatum-kms backup, an empty store.
 */
@Injectable()
export class WalletReporter {
  constructor(
    private readonly chains: ChainRegistry,
    @InjectWalletStore() private readonly store: WalletStore,
    @InjectPasswordSource() private readonly passwords: PasswordSource,
    @InjectKmsConfig() private readonly config: KmsConfig,
  ) {}

  async report(ids?: string[]): Promise<{ wallets: Record<string, WalletReport>; warnings: string[] }> {
    await this.passwords.password();
    const all = await this.store.export();
    const warnings: string[] = [];
    const wallets: Record<string, WalletReport> = {};
    for (const signatureId of ids?.length ? ids : Object.keys(all)) {
      const entry = Object.hasOwn(all, signatureId) ? all[signatureId] : undefined;
      if (!entry) warnings.push(`No wallet found for signatureId: ${signatureId}`);
      else wallets[signatureId] = this.describe(entry);
    }
    if (Object.keys(all).length === 0) warnings.push('the wallet store is empty');
    warnings.push(...(await this.fileWarnings()));
    return { wallets, warnings };
  }

  private describe(entry: WalletEntry): WalletReport {
    const warnings: string[] = [];
    if (!this.chains.has(entry.chain) && entry.chain !== APPROVAL_KEY_CHAIN) warnings.push(`chain ${entry.chain} is not supported by this KMS`);
    if (Boolean(entry.testnet) !== this.config.testnet) {
      warnings.push(
        `a ${entry.testnet ? 'testnet' : 'mainnet'} wallet: the daemon signs for it only when run ${entry.testnet ? 'with' : 'without'} --testnet`,
      );
    }
    if (walletKind(entry) === 'mnemonic')
      warnings.push('mnemonic wallet: pending transactions must carry a derivation index');
    const report: WalletReport = {
      type: reportType(entry),
      chain: entry.chain,
      testnet: Boolean(entry.testnet),
    };
    return warnings.length ? { ...report, warnings } : report;
  }

  /** The file store's own risks: a wallet file other users can read, tatum-kms backups left beside it. */
  private async fileWarnings(): Promise<string[]> {
    if (this.store.describe().type !== 'file') return [];
    const warnings: string[] = [];
    const mode = await stat(this.config.walletPath).then(
      (info) => info.mode & 0o777,
      () => undefined,
    );
    if (mode !== undefined && (mode & 0o077) !== 0) {
      warnings.push(
        `the wallet file ${this.config.walletPath} can be read or changed by other users (mode ${mode.toString(8).padStart(4, '0')}): chmod 600 it`,
      );
    }
    for (const backup of await findLegacyBackups(this.config.walletPath))
      warnings.push(legacyBackupWarning(backup));
    return warnings;
  }
}
