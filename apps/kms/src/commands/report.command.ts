import { cpus, platform, arch, totalmem, release } from 'node:os';
import { Command } from 'nest-commander';
import { InjectKmsConfig, type KmsConfig } from '@kms/config';
import { KmsCommand } from '../cli/kms-command';
import { CliOutput } from '../cli/cli-output';
import { maskSecret, maskUrl } from '../cli/mask-secret';
import { KMS_VERSION } from '../cli/version';
import { WalletReporter } from '../wallets/wallet-reporter.service';

/**
 * A support report: system facts, masked configuration (secrets as set/N/A, URLs without credentials
 * or query values), per-wallet type/chain/network/warnings, and warnings about the set-up.
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
    private readonly output: CliOutput,
  ) {
    super();
  }

  async run([ids]: string[]): Promise<void> {
    const requested = ids
      ?.split(',')
      .map((id) => id.trim())
      .filter(Boolean);
    this.output.json({
      system: {
        kmsVersion: KMS_VERSION,
        nodeVersion: process.version,
        platform: `${platform()} ${release()} ${arch()}`,
        cpus: cpus().length,
        memoryMiB: Math.round(totalmem() / 2 ** 20),
      },
      config: {
        apiUrl: maskUrl(this.config.apiUrl),
        apiKey: maskSecret(this.config.apiKey),
        testnet: this.config.testnet,
        storage: this.config.storage,
        walletPath: this.config.walletPath,
        passwordSource: this.config.passwordSource,
      },
      ...(await this.reporter.report(requested)),
    });
  }
}
