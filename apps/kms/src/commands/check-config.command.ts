import { existsSync } from 'node:fs';
import { Inject } from '@nestjs/common';
import { Command } from 'nest-commander';
import { ChainRegistry } from '@kms/chains';
import { maskSecret, maskUrl } from '@kms/common';
import { InjectKmsConfig, type KmsConfig } from '@kms/config';
import {
  findLegacyBackups,
  InjectResolvedStorage,
  InjectWalletStore,
  legacyBackupWarning,
  type ResolvedStorage,
  type WalletStore,
} from '@kms/storage';
import { CLI_IO, type CliIo } from '../cli/cli-io';
import { CliOutput } from '../cli/cli-output';
import { passwordStoreName } from '../cli/password-store-name';
import { KmsCommand } from '../cli/kms-command';
import { versionLine } from '../cli/version';

/**
 * Prints the effective configuration as tatum-kms does (a text table), secrets masked (set or N/A,
 * never a length; URLs without credentials or query values): the storage variables are those the
 * storage providers declare. Then one `Warning` row per problem
 * found without unlocking the store (a tatum-kms backup left beside the wallet file).
 */
@Command({
  name: 'checkconfig',
  description: 'Print version, wallet location, store type and environment (masked)',
})
export class CheckConfigCommand extends KmsCommand {
  constructor(
    @InjectKmsConfig() private readonly config: KmsConfig,
    @InjectWalletStore() private readonly store: WalletStore,
    @InjectResolvedStorage() private readonly storage: ResolvedStorage,
    private readonly chains: ChainRegistry,
    @Inject(CLI_IO) private readonly io: CliIo,
    private readonly output: CliOutput,
  ) {
    super();
  }

  async run(): Promise<void> {
    const store = this.store.describe();
    const rows: Array<[string, string]> = [
      ['Version', versionLine()],
      ['Wallet file path', store.location],
      ['Wallet exists', String(store.type === 'file' ? existsSync(store.location) : 'N/A')],
      ['Wallet store type', passwordStoreName(this.storage)],
      ['Storage provider', this.storage.store.type],
      ['Environment vars file', this.config.envFile],
      ['Network', this.config.testnet ? 'testnet' : 'mainnet'],
      ['Supported chains', this.chains.chains().join(',')],
      ['TATUM_API_KEY', maskSecret(this.config.apiKey)],
      ['TATUM_KMS_PASSWORD', maskSecret(this.config.password)],
      ['TATUM_API_URL', maskUrl(this.io.env.TATUM_API_URL)],
      // each storage provider's variables, as its descriptor says to show them
      ...this.storage.shown,
      // node URLs may carry an access token in their path
      [
        'TATUM_KMS_JOURNAL',
        this.config.journal ? maskUrl(this.config.journal) : `N/A (embedded: ${this.config.journalPath})`,
      ],
      ...Object.keys(this.config.nodeUrls).map((chain): [string, string] => [
        `TATUM_KMS_NODE_URL_${chain}`,
        maskSecret(this.config.nodeUrls[chain]),
      ]),
      ...(await findLegacyBackups(this.config.walletPath)).map((backup): [string, string] => [
        'Warning',
        legacyBackupWarning(backup),
      ]),
    ];
    const width = Math.max(...rows.map(([name]) => name.length)) + 1;
    this.output.text(rows.map(([name, value]) => `${name.padEnd(width)}: ${value}\n`).join(''));
  }
}
