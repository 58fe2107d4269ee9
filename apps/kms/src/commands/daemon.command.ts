import { ConsoleLogger, Inject, Logger } from '@nestjs/common';
import { Command, Option } from 'nest-commander';
import { ChainRegistry } from '@kms/chains';
import { InjectKmsConfig, InvalidConfigError, type KmsConfig } from '@kms/config';
import { assertFourEyeConfigured, fourEyeWarnings } from '@kms/four-eye';
import { PollScheduler } from '@kms/scheduler';
import { SigningPipeline, type CycleReport } from '@kms/signing';
import { ApiKeyRequiredError } from '@kms/tatum';
import { InjectWalletStore, type WalletStore } from '@kms/storage';
import { CLI_IO, type CliIo } from '../cli/cli-io';
import { CliOutput } from '../cli/cli-output';
import { KmsCommand } from '../cli/kms-command';

/**
 * Polls the Tatum API for pending transactions of the stored wallets, asks the four-eye server,
 * signs locally and broadcasts (PROTOCOL.md §3-5). The store is unlocked once at start. SIGINT or
 * SIGTERM: transactions in flight finish, then the process exits 0. `--runOnce`: one cycle, and a
 * non-zero exit code if anything in it failed.
 */
@Command({
  name: 'daemon',
  description: 'Sign and broadcast pending transactions of the stored wallets, periodically',
})
export class DaemonCommand extends KmsCommand {
  private readonly logger = new Logger('Daemon');

  constructor(
    @InjectKmsConfig() private readonly config: KmsConfig,
    @InjectWalletStore() private readonly store: WalletStore,
    private readonly chains: ChainRegistry,
    private readonly pipeline: SigningPipeline,
    private readonly scheduler: PollScheduler,
    @Inject(CLI_IO) private readonly io: CliIo,
    private readonly output: CliOutput,
  ) {
    super();
  }

  async run(): Promise<void> {
    Logger.overrideLogger(
      new ConsoleLogger({
        timestamp: true,
        logLevels: this.config.debug ? ['log', 'warn', 'error', 'debug'] : ['log', 'warn', 'error'],
        colors: Boolean(this.io.stdout.isTTY),
      }),
    );
    // Without an API key every cycle would fail: refuse to start instead, as without --externalUrl on mainnet.
    if (!this.config.apiKey) throw new ApiKeyRequiredError();
    assertFourEyeConfigured(this.config);
    this.assertFeeCapsApply();
    for (const warning of fourEyeWarnings(this.config)) this.logger.warn(warning);
    const chains = this.enabledChains();
    const unlocking = Date.now();
    const wallets = await this.store.ids({ testnet: this.config.testnet });
    this.logger.debug(
      `Unlocked the wallet store in ${Date.now() - unlocking} ms (${process.uptime().toFixed(2)} s since start)`,
    );
    this.logger.log(
      `Started on ${this.config.testnet ? 'testnet' : 'mainnet'} for ${chains.join(',')}; ${wallets.length} wallets; ` +
        `four-eye ${this.config.externalUrl ? `${this.config.externalUrlMethod} ${new URL(this.config.externalUrl).origin}` : 'off (testnet)'}`,
    );
    const options = { chains, wallets: this.config.wallets, transactionIds: this.config.transactionIds };

    if (this.config.runOnce) {
      const report = await this.pipeline.runCycle(options);
      this.summarize(report);
      if (report.failed > 0) this.output.exitCode = 1;
      return;
    }

    const stop = new AbortController();
    this.scheduler.start(
      async () => this.summarize(await this.pipeline.runCycle({ ...options, signal: stop.signal })),
      this.config.period * 1000,
    );
    const signal = await this.io.stopRequested();
    this.logger.log(`${signal}: finishing the transactions in flight`);
    stop.abort();
    await this.scheduler.stop();
    this.logger.log('Stopped');
  }

  /**
   * TATUM_KMS_MAX_FEE_<CHAIN> only for chains whose signer fills fees in from the network: a cap
   * that would do nothing (a typo, a chain whose fees are always in the transaction) stops the start.
   */
  private assertFeeCapsApply(): void {
    const capped = this.chains.chains().filter((chain) => this.chains.get(chain).feeCap);
    const problems = Object.keys(this.config.maxFees)
      .filter((chain) => !capped.includes(chain))
      .map(
        (chain) =>
          `TATUM_KMS_MAX_FEE_${chain}: the KMS fills in no ${chain} fee from the network; caps apply to ${capped.join(', ')}`,
      );
    if (problems.length) throw new InvalidConfigError(problems);
  }

  /** `--chain` (each must be supported: UnsupportedChainError otherwise), or every registered chain. */
  private enabledChains(): string[] {
    return this.config.chains?.map((chain) => this.chains.get(chain).chain) ?? this.chains.chains();
  }

  private summarize(report: CycleReport): void {
    if (report.pending + report.failed === 0) return;
    this.logger.log(
      `Cycle: ${report.pending} pending, ${report.broadcast} broadcast, ${report.denied} denied, ${report.failed} failed`,
    );
  }

  @Option({ flags: '--period <seconds>', description: 'seconds between polls (default 5)' })
  parsePeriod(value: string): string {
    return value;
  }

  @Option({ flags: '--chain <chains>', description: 'chains to poll, comma-separated (default: all)' })
  parseChain(value: string): string {
    return value;
  }

  @Option({
    flags: '--externalUrl <url>',
    description:
      'four-eye approval server; mandatory on mainnet, https there (plain http only on a loopback address or with TATUM_KMS_ALLOW_HTTP_APPROVAL=true)',
  })
  parseExternalUrl(value: string): string {
    return value;
  }

  @Option({ flags: '--externalUrlMethod <method>', description: 'GET (default) or POST' })
  parseExternalUrlMethod(value: string): string {
    return value;
  }

  @Option({
    flags: '--runOnce',
    description: 'run one cycle and exit (non-zero exit code if anything failed)',
  })
  parseRunOnce(): boolean {
    return true;
  }

  @Option({ flags: '--wallets <ids>', description: 'only these signatureIds, comma-separated' })
  parseWallets(value: string): string {
    return value;
  }

  @Option({
    flags: '--transactionIds <ids>',
    description: 'only these pending transaction ids, comma-separated',
  })
  parseTransactionIds(value: string): string {
    return value;
  }
}
