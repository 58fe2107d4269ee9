import { existsSync } from 'node:fs';
import { Inject } from '@nestjs/common';
import { Command } from 'nest-commander';
import { ChainRegistry } from '@kms/chains';
import { InjectKmsConfig, type KmsConfig } from '@kms/config';
import { findLegacyBackups, InjectWalletStore, legacyBackupWarning, type WalletStore } from '@kms/storage';
import { CLI_IO, type CliIo } from '../cli/cli-io';
import { CliOutput } from '../cli/cli-output';
import { KmsCommand } from '../cli/kms-command';
import { maskSecret, maskUrl } from '../cli/mask-secret';
import { versionLine } from '../cli/version';

const PASSWORD_STORE_NAMES = {
  env: 'LOCAL',
  prompt: 'LOCAL',
  aws: 'AWS',
  azure: 'AZURE',
  vgs: 'VGS',
} as const;
const MASKED_VARIABLES = [
  'TATUM_API_KEY',
  'TATUM_KMS_PASSWORD',
  'TATUM_KMS_VGS_ALIAS',
  'TATUM_KMS_VGS_USERNAME',
  'TATUM_KMS_VGS_PASSWORD',
  'TATUM_KMS_AZURE_SECRETVERSION',
  'TATUM_KMS_AZURE_SECRETNAME',
  'TATUM_KMS_AZURE_VAULTURL',
];
const PLAIN_VARIABLES = [
  'TATUM_API_URL',
  'TATUM_KMS_STORAGE',
  'TATUM_KMS_SECRET_PREFIX',
  'TATUM_KMS_AWS_REGION',
  'TATUM_KMS_AWS_ENDPOINT',
  'TATUM_KMS_AZURE_AUTHORITY_HOST',
  'TATUM_KMS_VGS_URL',
  'TATUM_KMS_VGS_INDEX',
];
/** Plain variables that hold URLs: shown with credentials and query values masked. */
const URL_VARIABLES = new Set([
  'TATUM_API_URL',
  'TATUM_KMS_AWS_ENDPOINT',
  'TATUM_KMS_AZURE_AUTHORITY_HOST',
  'TATUM_KMS_VGS_URL',
]);
const MORE_MASKED_VARIABLES = [
  'TATUM_KMS_AWS_ACCESS_KEY_ID',
  'TATUM_KMS_AWS_SECRET_ACCESS_KEY',
  'TATUM_KMS_AWS_SECRET_NAME',
  'TATUM_KMS_AWS_SECRET_KEY',
  'TATUM_KMS_AZURE_TENANT_ID',
  'TATUM_KMS_AZURE_CLIENT_ID',
  'TATUM_KMS_AZURE_CLIENT_SECRET',
];

/**
 * Prints the effective configuration as tatum-kms does (a text table), secrets masked (set or N/A,
 * never a length; URLs without credentials or query values), then one `Warning` row per problem
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
      ['Wallet store type', PASSWORD_STORE_NAMES[this.config.passwordSource]],
      ['Storage provider', store.type],
      ['Environment vars file', this.config.envFile],
      ['Network', this.config.testnet ? 'testnet' : 'mainnet'],
      ['Supported chains', this.chains.chains().join(',')],
      ...MASKED_VARIABLES.map((name): [string, string] => [name, maskSecret(this.io.env[name])]),
      ...PLAIN_VARIABLES.map((name): [string, string] => [
        name,
        URL_VARIABLES.has(name) ? maskUrl(this.io.env[name]) : this.io.env[name] || 'N/A',
      ]),
      ...MORE_MASKED_VARIABLES.map((name): [string, string] => [name, maskSecret(this.io.env[name])]),
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
