import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { type INestApplicationContext, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ChainRegistry } from '@kms/chains';
import { SqliteJournal, TxSealer } from '@kms/journal';
import { SigningPipeline } from '@kms/signing';
import { InvalidArgumentError, type PromptInput, type PromptOutput } from '@kms/common';
import { buildKmsConfig } from '@kms/config';
import { KmsLogger, OpsServer, Readiness } from '@kms/ops';
import { WALLET_STORE, type WalletStore } from '@kms/storage';
import type { DaemonMetrics } from '../daemon/daemon-metrics';
import { DEMO_CHAINS, type DemoWallet } from './demo-chains';
import { SandboxApi } from './sandbox-api';
import { SandboxApprovals } from './sandbox-approvals';
import { runObservedCycle } from './sandbox-cycle';
import { SandboxDaemonModule } from './sandbox-daemon.module';
import { describeOutcomes } from './sandbox-outcomes';
import type { SandboxRow } from './sandbox-row';
import { buildScenario, type ScenarioEntry } from './sandbox-scenario';
import { createDemoWallets } from './sandbox-wallets';

export interface SandboxOptions {
  /** Chain codes, each one of DEMO_CHAINS. */
  chains: readonly string[];
  /** `--path`: where the throwaway store is written (it must not exist); default: a new temp dir. */
  path?: string;
  /** The store's password (TATUM_KMS_PASSWORD of the run); default: a random one. */
  password?: string;
  /** The run's TATUM_KMS_LOG_FORMAT, TATUM_KMS_LOG_LEVEL and TATUM_KMS_DEBUG_MODE; nothing else is taken. */
  logEnv: Record<string, string | undefined>;
  stdin: PromptInput;
  /** Where the daemon's log lines go (stderr: stdout carries the table). */
  log: PromptOutput;
}

/** What `--keep` leaves running, and how to point a `daemon` at it. */
export interface KeptSandbox {
  apiUrl: string;
  approvalUrl: string;
  metricsUrl: string;
  storePath: string;
  /** A file (mode 0600) holding TATUM_API_URL, TATUM_API_KEY and TATUM_KMS_PASSWORD for `--envFile`. */
  envFile: string;
  /** Pending transactions waiting for the next daemon. */
  pending: number;
}

/**
 * One sandbox run: the daemon's whole flow on loopback, nothing sent to any network. It writes demo
 * wallets to a new store, starts the embedded API and approval server, parks the scenario's pending
 * transactions, runs ONE cycle of the daemon's SigningPipeline (built from the daemon's own Nest
 * modules, with the daemon's narrator and metrics), and checks every signed transaction locally.
 * `close()` stops everything and deletes the store unless `--path` named it.
 */
export class SandboxRun {
  private ops?: OpsServer;
  private envFile?: string;

  private constructor(
    readonly rows: SandboxRow[],
    readonly storePath: string,
    private readonly parts: {
      app: INestApplicationContext;
      api: SandboxApi;
      approvals: SandboxApprovals;
      wallets: DemoWallet[];
      metrics: DaemonMetrics;
      password: string;
      apiKey: string;
      /** The temp dir to delete at close (none with --path). */
      scratch?: string;
    },
  ) {}

  static async start(options: SandboxOptions): Promise<SandboxRun> {
    const storePath = options.path === undefined ? undefined : resolve(options.path);
    if (storePath !== undefined && existsSync(storePath)) {
      throw new InvalidArgumentError(
        `--path ${storePath} exists: the sandbox writes a new, throwaway store and never opens an existing one`,
      );
    }
    const scratch = storePath === undefined ? mkdtempSync(join(tmpdir(), 'tatum-kms-sandbox-')) : undefined;
    const walletPath = storePath ?? join(scratch!, 'wallet.dat');
    const password = options.password || randomBytes(24).toString('base64url');
    const apiKey = `sandbox-${randomBytes(12).toString('hex')}`;
    const started: Array<{ close(): Promise<void> }> = [];
    try {
      // filled once the daemon's container (and its chain registry) exists, before any broadcast
      const broadcastChains = new Map<string, string>();
      const api = await SandboxApi.start({
        apiKey,
        txIdOf: (chain, txData) => DEMO_CHAINS.get(chain)!.txId(txData),
        chainOfBroadcastPath: (path) => broadcastChains.get(path),
      });
      started.push(api);
      const approvals = await SandboxApprovals.start([]);
      started.push(approvals);
      const config = buildKmsConfig(
        {
          path: walletPath,
          externalUrl: approvals.url,
          externalUrlMethod: 'POST',
          chain: options.chains.join(','),
        },
        { ...options.logEnv, TATUM_API_URL: api.url, TATUM_API_KEY: apiKey, TATUM_KMS_PASSWORD: password },
      );
      const app = await NestFactory.createApplicationContext(
        SandboxDaemonModule.forRoot(config, options.stdin, options.log),
        { logger: false, abortOnError: false },
      );
      started.push(app);
      const registry = app.get(ChainRegistry);
      for (const chain of registry.chains()) broadcastChains.set(registry.get(chain).tatum.broadcastPath, chain);
      const logger = new KmsLogger({ format: config.logFormat, level: config.logLevel, sink: options.log });
      Logger.overrideLogger(logger);
      const log = new Logger('Sandbox');
      log.log(
        `Embedded Tatum API on ${api.url}, approval server on ${approvals.url}; nothing leaves this machine`,
      );

      const wallets = await createDemoWallets(
        app.get(ChainRegistry),
        app.get<WalletStore>(WALLET_STORE),
        options.chains,
      );
      log.log(`Demo wallets (${options.chains.join(', ')}) in a new store: ${walletPath}`);
      const entries = await park(wallets, api, approvals);
      // the daemon signs only with a signing journal: the sandbox's lives in memory, with the run
      const journal = SqliteJournal.open(':memory:');
      started.push(journal);
      app.get(SigningPipeline).useJournal({
        journal,
        sealer: await TxSealer.fromPassword(password),
        replica: 'sandbox',
      });
      const { outcomes, metrics } = await runObservedCycle(app, options.chains, logger);

      const rows = await describeOutcomes(entries, { outcomes, api, approvals, wallets });
      return new SandboxRun(rows, walletPath, {
        app,
        api,
        approvals,
        wallets,
        metrics,
        password,
        apiKey,
        scratch,
      });
    } catch (error) {
      for (const part of started.reverse()) await part.close().catch(() => undefined);
      if (scratch) rmSync(scratch, { recursive: true, force: true });
      throw error;
    }
  }

  /**
   * Leaves the API and the approval server running with new pending transactions to sign (the denied
   * and bad ones of the cycle stay pending too, as at Tatum), serves the daemon's /metrics of this run,
   * and writes the env file another `daemon` needs: the store's password and the API key stay in that
   * file (mode 0600, deleted at close), never printed.
   */
  async keep(): Promise<KeptSandbox> {
    const { api, approvals, wallets, metrics, password, apiKey, scratch } = this.parts;
    const entries = (await buildScenario(wallets, 1)).filter((entry) => entry.expect === 'signed');
    for (const entry of entries) api.park(entry.chain, entry.item, entry.signatureIds);
    this.ops = await OpsServer.start({ host: '127.0.0.1', port: 0 }, metrics.metrics, new Readiness(60_000));
    this.envFile = join(scratch ?? dirname(this.storePath), 'sandbox.env');
    writeFileSync(
      this.envFile,
      `TATUM_API_URL=${api.url}\nTATUM_API_KEY=${apiKey}\nTATUM_KMS_PASSWORD=${password}\n`,
      { mode: 0o600, flag: 'wx' },
    );
    return {
      apiUrl: api.url,
      approvalUrl: approvals.url,
      metricsUrl: `http://${this.ops.address}/metrics`,
      storePath: this.storePath,
      envFile: this.envFile,
      pending: api.pendingIds().length,
    };
  }

  async close(): Promise<void> {
    const { app, api, approvals, scratch } = this.parts;
    await this.ops?.close();
    await app.close();
    await Promise.all([api.close(), approvals.close()]);
    if (this.envFile) rmSync(this.envFile, { force: true });
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
}

/** Builds the scenario, parks it on the API and tells the approval server what to deny. */
async function park(
  wallets: readonly DemoWallet[],
  api: SandboxApi,
  approvals: SandboxApprovals,
): Promise<ScenarioEntry[]> {
  const entries = await buildScenario(wallets);
  for (const entry of entries) api.park(entry.chain, entry.item, entry.signatureIds);
  approvals.deny(entries.filter((entry) => entry.expect === 'denied').map((entry) => entry.item.id));
  return entries;
}
