import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Inject, Logger } from '@nestjs/common';
import { Command, Option } from 'nest-commander';
import { ChainRegistry } from '@kms/chains';
import { maskUrl } from '@kms/common';
import { InjectKmsConfig, InvalidConfigError, type KmsConfig } from '@kms/config';
import { assertFourEyeConfigured, fourEyeWarnings, readApprovalKey } from '@kms/four-eye';
import { KmsLogger, OpsServer, Readiness } from '@kms/ops';
import { openSigningJournal, TxSealer, type SigningJournal } from '@kms/journal';
import { PollScheduler } from '@kms/scheduler';
import { JournalUsage, SigningPipeline, type CycleOptions } from '@kms/signing';
import { ApiKeyRequiredError, TatumClient } from '@kms/tatum';
import { InjectPasswordSource, InjectWalletStore, type PasswordSource, type WalletStore } from '@kms/storage';
import { CLI_IO, type CliIo } from '../cli/cli-io';
import { CliOutput } from '../cli/cli-output';
import { KmsCommand } from '../cli/kms-command';
import { CycleNarrator } from '../daemon/cycle-narrator';
import { DaemonMetrics } from '../daemon/daemon-metrics';
import { readinessWindowMs } from '../daemon/readiness-window';
import { readPolicyFile } from '../policy/read-policy-file';

/**
 * Polls the Tatum API for pending transactions of the stored wallets, asks the four-eye server,
 * signs locally and broadcasts (docs/tatum-protocol.md). The store is unlocked once at start: no API
 * key, a store that cannot be unlocked or a vault that cannot be reached stops the start with one JSON
 * error. SIGINT or SIGTERM: transactions in flight finish, then the process exits 0. `--runOnce`: one
 * cycle, and a non-zero exit code if anything in it failed. Logs go to stdout (TATUM_KMS_LOG_FORMAT,
 * TATUM_KMS_LOG_LEVEL); `--metricsPort` opens /livez, /readyz and /metrics. The signing journal
 * (TATUM_KMS_JOURNAL, default journal.sqlite beside the wallet file) is opened at start, after the
 * store: a journal that cannot be opened stops the start, as nothing may be signed without it.
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
    @InjectPasswordSource() private readonly passwords: PasswordSource,
    private readonly chains: ChainRegistry,
    private readonly pipeline: SigningPipeline,
    private readonly scheduler: PollScheduler,
    private readonly tatum: TatumClient,
    @Inject(CLI_IO) private readonly io: CliIo,
    private readonly output: CliOutput,
  ) {
    super();
  }

  async run(): Promise<void> {
    const logger = new KmsLogger({
      format: this.config.logFormat,
      level: this.config.logLevel,
      sink: this.io.stdout,
    });
    Logger.overrideLogger(logger);
    // Without an API key every cycle would fail: refuse to start instead, as without --externalUrl on mainnet.
    if (!this.config.apiKey) throw new ApiKeyRequiredError();
    assertFourEyeConfigured(this.config);
    this.assertFeeCapsApply();
    for (const warning of fourEyeWarnings(this.config)) this.logger.warn(warning);
    const policy = this.config.policyFile ? readPolicyFile(this.config.policyFile) : undefined;
    const chains = this.enabledChains();
    const readiness = new Readiness(readinessWindowMs(this.config));
    const metrics = this.config.metricsPort === undefined ? undefined : new DaemonMetrics();
    const unlocking = Date.now();
    const wallets = await this.store.ids({ testnet: this.config.testnet });
    readiness.storeUnlocked();
    // Ed25519 signed approvals: without the KMS's key in the store every approval would be denied.
    if (this.config.externalUrlMethod === 'SIGNED' && this.config.approvalServerKey)
      await readApprovalKey(this.store);
    const journal = await this.openJournal();
    if (policy) {
      // rolling windows count what the journal holds: limits survive restarts and hold across replicas
      const horizonMs = Math.max(0, ...policy.rules.map((rule) => rule.window?.periodMs ?? 0));
      this.pipeline.usePolicy(policy, new JournalUsage(journal, horizonMs));
      this.logger.log(
        `Signing policy: ${policy.rules.length} rules, the first match decides, no match denies`,
      );
    }
    this.logger.debug(
      `Unlocked the wallet store in ${Date.now() - unlocking} ms (${process.uptime().toFixed(2)} s since start)`,
    );
    this.logger.log(
      `Started on ${this.config.testnet ? 'testnet' : 'mainnet'} for ${chains.join(',')}; ${wallets.length} wallets; ` +
        `four-eye ${this.config.externalUrl ? `${this.config.externalUrlMethod} ${new URL(this.config.externalUrl).origin}` : 'off (testnet)'}`,
    );
    try {
      await this.serve(chains, readiness, metrics, logger);
    } finally {
      await journal.close();
    }
  }

  /**
   * Opens the configured signing journal for this replica (hostname, pid and a random part: a
   * restarted daemon is a new replica) and hands it to the pipeline with a sealer keyed by the store
   * password at the store key's cost (the store is unlocked by then, so the password source answers
   * from its cache).
   */
  private async openJournal(): Promise<SigningJournal> {
    const journal = await openSigningJournal({
      setting: this.config.journal,
      embeddedPath: this.config.journalPath,
      daemon: true,
    });
    try {
      const sealer = await TxSealer.fromPassword(await this.passwords.password(), this.store.keyCost?.());
      const replica = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
      this.pipeline.useJournal({ journal, sealer, replica, leaseMs: this.config.journalLeaseSeconds * 1000 });
      this.logger.log(
        `Signing journal: ${this.config.journal ? maskUrl(this.config.journal) : this.config.journalPath} (replica ${replica})`,
      );
      return journal;
    } catch (error) {
      await journal.close();
      throw error;
    }
  }

  private async serve(
    chains: string[],
    readiness: Readiness,
    metrics: DaemonMetrics | undefined,
    logger: KmsLogger,
  ): Promise<void> {
    const narrator = new CycleNarrator(logger);
    if (metrics) {
      this.pipeline.observe(metrics);
      this.tatum.observeRequests((method, path, status) => metrics.tatumRequest(method, path, status));
    }
    const server = metrics
      ? await OpsServer.start(
          { host: this.config.metricsHost, port: this.config.metricsPort! },
          metrics.metrics,
          readiness,
        )
      : undefined;
    if (server)
      this.logger.log(`Operations endpoint on http://${server.address} (/livez, /readyz, /metrics)`);

    const stop = new AbortController();
    const options: CycleOptions = {
      chains,
      wallets: this.config.wallets,
      transactionIds: this.config.transactionIds,
      signal: stop.signal,
    };
    const cycle = async () => {
      const started = performance.now();
      const report = await this.pipeline.runCycle(options);
      const ended = Date.now();
      metrics?.cycleEnded(report, (performance.now() - started) / 1000, ended);
      if (report.storeProblem) readiness.storeFailed(report.storeProblem);
      else readiness.storeUnlocked();
      readiness.cycleEnded(report.apiProblem);
      narrator.cycleEnded(report, this.config.runOnce);
      return report;
    };
    try {
      if (this.config.runOnce) {
        const report = await cycle();
        if (report.failed > 0) this.output.exitCode = 1;
        return;
      }
      this.scheduler.start(async () => void (await cycle()), this.config.period * 1000);
      const signal = await this.io.stopRequested();
      this.logger.log(`${signal}: finishing the transactions in flight`);
      stop.abort();
      await this.scheduler.stop();
      this.logger.log('Stopped');
    } finally {
      await server?.close();
    }
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

  /**
   * `--chain` (each must be supported: UnsupportedChainError otherwise; an SDK alias such as USDT
   * names its base chain, once), or every registered chain.
   */
  private enabledChains(): string[] {
    const chains = this.config.chains?.map((chain) => this.chains.get(chain).chain);
    return chains ? [...new Set(chains)] : this.chains.chains();
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

  @Option({
    flags: '--metricsPort <port>',
    description:
      'serve /livez, /readyz and /metrics on this port (127.0.0.1 unless TATUM_KMS_METRICS_HOST; 0: any free port)',
  })
  parseMetricsPort(value: string): string {
    return value;
  }

  @Option({
    flags: '--policy <file>',
    description: 'local signing policy (YAML or JSON): allow, deny or require approval, rule by rule',
  })
  parsePolicy(value: string): string {
    return value;
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
