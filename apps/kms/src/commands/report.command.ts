import { existsSync } from 'node:fs';
import { cpus, platform, arch, totalmem, release } from 'node:os';
import { Command } from 'nest-commander';
import { maskSecret, maskUrl, TATUM_KMS_PROTOCOL_VERSION } from '@kms/common';
import { InjectKmsConfig, type KmsConfig } from '@kms/config';
import {
  InjectResolvedStorage,
  InjectWalletStore,
  type ResolvedStorage,
  type WalletStore,
} from '@kms/storage';
import { CliOutput } from '../cli/cli-output';
import { KmsCommand } from '../cli/kms-command';
import { MINIMUM_NODE, nodeVersionAtLeast } from '../cli/node-version';
import { passwordStoreName } from '../cli/password-store-name';
import { KMS_VERSION } from '../cli/version';
import { WalletReporter } from '../wallets/wallet-reporter.service';

/**
 * A support report in tatum-kms's shape (`{system: {kmsVersion, nodeVersion, store: {type, exists}},
 * wallets: {<id>: {type, chain, testnet, warnings?}}, apiKey, warnings?}`), with a few more facts added
 * (protocol version, platform, masked configuration). No secret: the API key as set/N/A, URLs without
 * credentials or query values.
 */
@Command({
  name: 'report',
  arguments: '[signatureIds]',
  description:
    'Print a JSON support report for the given wallets (comma-separated; all when omitted), no secrets',
})
export class ReportCommand extends KmsCommand {
  constructor(
    @InjectKmsConfig() private readonly config: KmsConfig,
    private readonly reporter: WalletReporter,
    @InjectWalletStore() private readonly store: WalletStore,
    @InjectResolvedStorage() private readonly storage: ResolvedStorage,
    private readonly output: CliOutput,
  ) {
    super();
  }

  async run([ids]: string[]): Promise<void> {
    const requested = ids
      ?.split(',')
      .map((id) => id.trim())
      .filter(Boolean);
    const { wallets, warnings } = await this.reporter.report(requested);
    if (!nodeVersionAtLeast(process.versions.node))
      warnings.push(`Node.js ${process.version} is older than this KMS needs (${MINIMUM_NODE} or newer)`);
    const store = this.store.describe();
    this.output.json({
      system: {
        kmsVersion: KMS_VERSION,
        protocolVersion: TATUM_KMS_PROTOCOL_VERSION,
        nodeVersion: process.version,
        store: {
          type: passwordStoreName(this.storage),
          exists: store.type === 'file' ? existsSync(store.location) : true,
          provider: this.storage.store.type,
        },
        platform: `${platform()} ${release()} ${arch()}`,
        cpus: cpus().length,
        memoryMiB: Math.round(totalmem() / 2 ** 20),
      },
      wallets,
      apiKey: maskSecret(this.config.apiKey),
      ...(warnings.length ? { warnings } : {}),
      config: {
        apiUrl: maskUrl(this.config.apiUrl),
        testnet: this.config.testnet,
        storage: this.config.storage,
        walletPath: this.config.walletPath,
        passwordSource: this.storage.passwordSource,
      },
    });
  }
}
