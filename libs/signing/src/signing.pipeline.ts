import { Injectable, Logger } from '@nestjs/common';
import {
  ChainRegistry,
  InvalidTransactionError,
  orderedSummary,
  type ChainSigner,
  type TransactionSummary,
} from '@kms/chains';
import { printable, safeErrorMessage } from '@kms/common';
import { InjectKmsConfig, type KmsConfig } from '@kms/config';
import {
  InjectApprovalGateway,
  type ApprovalDecision,
  type ApprovalGateway,
  type ApproveOptions,
} from '@kms/four-eye';
import { evaluatePolicy, type Policy, type UsageRecord, type UsageSource } from '@kms/policy';
import { InjectWalletStore, WalletNotFoundError, type WalletStore } from '@kms/storage';
import { TatumApiError, TatumClient, type PendingTransaction, type PendingTxError } from '@kms/tatum';
import { forEachBounded } from './bounded';
import type { CycleObserver } from './cycle-observer.port';
import { OutcomeReporter } from './outcome-reporter';
import { resolveKeys } from './key-resolver';
import { payloadHash } from './payload-hash';
import { policySummary } from './policy-summary';
import { nodeUrlSecrets, redactSecrets } from './node-url-secrets';
import { BroadcastFailedError, CompletionFailedError, SubmissionMemoryFullError } from './signing.errors';
import {
  InjectSubmissionMemory,
  type Submission,
  type SubmissionKey,
  type SubmissionMemory,
} from './submission-memory.port';
import { TatumSigningNetwork } from './tatum-signing.network';

/** How many pending transactions are approved, signed and broadcast at once. */
const CONCURRENCY = 48;

export interface CycleOptions {
  /** Chains to poll (default: every chain this KMS can sign for). */
  chains?: readonly string[];
  /** Only these signatureIds (`--wallets`). */
  wallets?: readonly string[];
  /** Only these pending transaction ids (`--transactionIds`). */
  transactionIds?: readonly string[];
  /** Aborting stops starting new transactions; those in flight finish. */
  signal?: AbortSignal;
}

export interface CycleReport {
  pending: number;
  broadcast: number;
  denied: number;
  /** Failures reported to the error batch, plus API calls of the cycle that failed. */
  failed: number;
  errors: PendingTxError[];
  /** Why the wallet store could not be read in this cycle (nothing was signed then). */
  storeProblem?: string;
  /** Why the Tatum API could not be reached for pending transactions in this cycle. */
  apiProblem?: string;
}

/**
 * One daemon cycle (ARCHITECTURE.md "The daemon's data flow"): for each chain, list the store's
 * wallets, pull their pending transactions, and for each (bounded concurrency) ask the four-eye
 * server, resolve keys, sign locally and broadcast. One bad transaction never stops the others;
 * every failure of the cycle goes into ONE error batch. Every outcome (signed, denied, failed) is
 * told once by the OutcomeReporter: a log line and the observers (metrics).
 *
 * Signing is bounded by what the cycle asked for: only the wallets whose pending transactions it
 * requested (this chain and network, within --wallets) may sign (resolveKeys). What was sent for a
 * pending transaction is recorded (SubmissionMemory) before the broadcast call: while the record
 * exists, a later cycle sends the same txData again and signs nothing new, so a broadcast whose
 * outcome is unknown, or a completion call that failed after SOL/FLOW confirmed their transfer,
 * never leads to a second transaction.
 *
 * No log line or report contains a secret or a forged line: messages come from safeErrorMessage,
 * values from the API are escaped (printable), and node URL credentials are redacted.
 */
@Injectable()
export class SigningPipeline {
  private readonly logger = new Logger('SigningPipeline');
  private readonly reporter = new OutcomeReporter();
  private readonly network: TatumSigningNetwork;
  /** Parts of the configured node URLs that may be credentials, redacted from every message. */
  private readonly nodeSecrets: string[];
  /** Signed approvals bind to the payload (its hash and summary); tatum-kms's GET/POST check does not. */
  private readonly bindsApprovals: boolean;
  /** The local signing policy (`--policy`), set by the daemon at start. */
  private policy?: { policy: Policy; usage: UsageSource & { record(entry: UsageRecord): void } };
  /** Policy decisions are taken one at a time (evaluation and counting together). */
  private policyTurn: Promise<void> = Promise.resolve();

  constructor(
    private readonly chains: ChainRegistry,
    @InjectWalletStore() private readonly store: WalletStore,
    private readonly tatum: TatumClient,
    @InjectApprovalGateway() private readonly approvals: ApprovalGateway,
    @InjectKmsConfig() private readonly config: KmsConfig,
    @InjectSubmissionMemory() private readonly submissions: SubmissionMemory,
  ) {
    this.network = new TatumSigningNetwork(tatum, config.nodeUrls);
    this.nodeSecrets = Object.values(config.nodeUrls).flatMap(nodeUrlSecrets);
    this.bindsApprovals = config.externalUrlMethod === 'SIGNED';
  }

  /**
   * Puts a local signing policy in front of the four-eye check: `allow` signs without asking the
   * approval server, `deny` refuses, `require-approval` asks it (and denies without one); no
   * matching rule denies. `usage` counts what was signed for the policy's rolling windows.
   */
  usePolicy(policy: Policy, usage: UsageSource & { record(entry: UsageRecord): void }): void {
    this.policy = { policy, usage };
  }

  /** Adds an observer of the cycles' events (the daemon's metrics); outcomes are logged anyway. */
  observe(observer: CycleObserver): void {
    this.reporter.observe(observer);
  }

  /**
   * One cycle. It never throws: a wallet store that cannot be read (a password changed by another
   * process, a damaged file, an unreachable vault) ends the cycle with `storeProblem` set.
   */
  async runCycle(options: CycleOptions = {}): Promise<CycleReport> {
    const report: CycleReport = { pending: 0, broadcast: 0, denied: 0, failed: 0, errors: [] };
    try {
      await this.store.refreshIfChanged?.();
      for (const chain of options.chains ?? this.chains.chains()) {
        if (options.signal?.aborted) break;
        await this.runChain(chain, options, report);
      }
    } catch (error) {
      // only the store's reads are outside a transaction's or a chain's own handling
      report.failed++;
      report.storeProblem = this.message(error);
    }
    if (report.errors.length) {
      try {
        await this.tatum.reportErrors(report.errors);
      } catch (error) {
        this.logger.error(
          `Could not report ${report.errors.length} failures to the Tatum API: ${this.message(error)}`,
        );
      }
    }
    return report;
  }

  private async runChain(chain: string, options: CycleOptions, report: CycleReport): Promise<void> {
    const signer = this.chains.get(chain);
    // wallets stored under an SDK alias of the chain (tatum-kms files: `USDT`, `ETH_BASE`) are its own
    const names = this.chains.storedNames(signer.chain);
    let ids = await this.store.ids({
      chain: names.length === 1 ? signer.chain : names,
      testnet: this.config.testnet,
    });
    if (options.wallets) ids = ids.filter((id) => options.wallets!.includes(id));
    this.reporter.notify((observer) => observer.walletsPolled?.(signer.chain, ids.length));
    if (ids.length === 0) return;
    const allowed: ReadonlySet<string> = new Set(ids);

    let transactions: PendingTransaction[];
    const started = Date.now();
    try {
      const batch = await this.tatum.pending(signer.chain, ids);
      this.logger.debug(
        `${batch.transactions.length} pending ${signer.chain} transactions for ${ids.length} wallets in ${Date.now() - started} ms`,
      );
      for (const { id, error } of batch.invalid) {
        this.fail(report, id, error, signer.chain);
      }
      transactions = batch.transactions;
    } catch (error) {
      report.failed++;
      report.apiProblem ??= `${signer.chain}: ${this.message(error)}`;
      // the daemon logs the problem once, when it starts and when it ends, not every cycle
      this.logger.debug(`Could not fetch pending ${signer.chain} transactions: ${this.message(error)}`);
      return;
    }
    if (options.transactionIds)
      transactions = transactions.filter((tx) => options.transactionIds!.includes(tx.id));
    report.pending += transactions.length;
    const processing = Date.now();
    await forEachBounded(
      transactions,
      CONCURRENCY,
      (tx) => this.process(signer, tx, allowed, report),
      options.signal,
    );
    this.logger.debug(
      `Processed ${transactions.length} ${signer.chain} transactions in ${Date.now() - processing} ms`,
    );
  }

  private async process(
    signer: ChainSigner,
    tx: PendingTransaction,
    allowed: ReadonlySet<string>,
    report: CycleReport,
  ): Promise<void> {
    try {
      if (tx.chain.toUpperCase() !== signer.chain) {
        throw new InvalidTransactionError(signer.chain, `it is a ${tx.chain} transaction`);
      }
      const key: SubmissionKey = { chain: signer.chain, pendingId: tx.id };
      const earlier = await this.submissions.recall(key);
      const sent = earlier
        ? await this.sendAgain(signer, tx, key, earlier)
        : await this.signAndSend(signer, tx, key, allowed, report);
      if (sent === undefined) return;
      report.broadcast++;
      this.reporter.report({
        chain: signer.chain,
        pendingId: printable(tx.id),
        outcome: 'signed',
        txId: sent.txId === undefined ? undefined : printable(sent.txId),
      });
    } catch (error) {
      this.fail(report, tx.id, error, signer.chain);
    }
  }

  /** Approves, signs and broadcasts; undefined when the four-eye server denies it. */
  private async signAndSend(
    signer: ChainSigner,
    tx: PendingTransaction,
    key: SubmissionKey,
    allowed: ReadonlySet<string>,
    report: CycleReport,
  ): Promise<Sent | undefined> {
    if (!(await this.submissions.hasRoom())) throw new SubmissionMemoryFullError();
    // The approval server sees the transaction as the API sent it, not the KMS's validated copy.
    const binding = this.bindsApprovals || this.policy ? await this.binding(signer, tx) : undefined;
    const verdict = this.policy ? await this.checkPolicy(signer, tx, binding!) : undefined;
    const decision = verdict?.decided ?? (await this.askApproval(tx, binding));
    if (!decision.approved) {
      report.denied++;
      this.reporter.report({
        chain: signer.chain,
        pendingId: printable(tx.id),
        outcome: 'denied',
        reason: this.redact(printable(decision.reason, 500)),
      });
      return undefined;
    }
    const keys = await resolveKeys(tx, (id) => this.lookup(id), signer, {
      testnet: this.config.testnet,
      allowed,
    });
    const signing = performance.now();
    const txData = await signer.signTransaction({
      pendingId: tx.id,
      serializedTransaction: tx.serializedTransaction,
      keys: keys.keys,
      inputKeys: keys.inputKeys,
      withdrawal: Boolean(tx.withdrawalId),
      testnet: this.config.testnet,
      network: this.network,
      maxFee: this.config.maxFees[signer.chain],
    });
    const signingSeconds = (performance.now() - signing) / 1000;
    this.reporter.notify((observer) => observer.signingTimed?.(signer.chain, signingSeconds));
    verdict?.signed();
    const submission = { txData, onChain: Boolean(signer.submitsItself), acknowledged: false };
    // Recorded before the call: an answer that does not come may hide a broadcast that happened.
    await this.submissions.remember(key, submission);
    try {
      return await this.send(signer, tx, key, submission);
    } catch (error) {
      if (!submission.onChain && surelyNotTaken(error)) await this.submissions.forget(key);
      throw submission.onChain ? new CompletionFailedError(signer.chain, txData, error) : error;
    }
  }

  /**
   * A pending transaction the daemon sent before (an earlier cycle): its recorded txData is sent
   * again as it is; nothing is signed. A failure keeps the record.
   */
  private async sendAgain(
    signer: ChainSigner,
    tx: PendingTransaction,
    key: SubmissionKey,
    earlier: Submission,
  ): Promise<Sent> {
    try {
      return await this.send(signer, tx, key, earlier);
    } catch (error) {
      throw new CompletionFailedError(signer.chain, earlier.onChain ? earlier.txData : undefined, error);
    }
  }

  /**
   * The broadcast (or completion) call; on success the record is marked acknowledged. A pending
   * transaction with a withdrawalId goes to the off-chain endpoint when its chain declares so
   * (tatum.offchainWithdrawals, as tatum-kms 8.0.1 routes them) and the signer did not submit it
   * itself; everything else to the chain's declared `POST /v3/{broadcastPath}/broadcast`.
   */
  private async send(
    signer: ChainSigner,
    tx: PendingTransaction,
    key: SubmissionKey,
    submission: Submission,
  ): Promise<Sent> {
    const { txData } = submission;
    const sent: Sent =
      tx.withdrawalId && signer.tatum.offchainWithdrawals && !signer.submitsItself
        ? await this.tatum.offchainBroadcast({
            currency: signer.chain,
            txData,
            withdrawalId: tx.withdrawalId,
            signatureId: tx.id,
          })
        : await this.broadcast(signer, txData, tx.id);
    await this.submissions.remember(key, { ...submission, acknowledged: true });
    return sent;
  }

  private async broadcast(signer: ChainSigner, txData: string, id: string): Promise<Sent> {
    const result = await this.tatum.broadcast(signer.tatum.broadcastPath, txData, id);
    if (result.failed) throw new BroadcastFailedError(result.txId);
    return { txId: result.txId };
  }

  /** The four-eye server's verdict, timed. */
  private async askApproval(
    tx: PendingTransaction,
    binding: ApproveOptions['binding'],
  ): Promise<ApprovalDecision> {
    const asking = performance.now();
    const decision = await this.approvals.approve(tx.received, { binding });
    const approvalSeconds = (performance.now() - asking) / 1000;
    this.reporter.notify((observer) => observer.approvalTimed?.(approvalSeconds));
    return decision;
  }

  /**
   * The local policy's verdict: `decided` when it allows (no four-eye question) or denies, absent
   * when it requires the four-eye server's approval; then `signed()` counts the transaction in the
   * rolling windows once signed. An allowed transaction is counted at once, inside the same lock as
   * its evaluation, so concurrent transactions cannot all fit in one window's last room.
   */
  private checkPolicy(
    signer: ChainSigner,
    tx: PendingTransaction,
    binding: { summary?: TransactionSummary },
  ): Promise<{ decided?: ApprovalDecision; signed(): void }> {
    const decide = async () => {
      const { policy, usage } = this.policy!;
      const wallet = tx.hashes[0] ?? tx.signatures?.[0]?.id ?? '';
      const summary = policySummary(binding.summary);
      const decision = await evaluatePolicy(policy, { chain: signer.chain, wallet, summary }, usage);
      this.reporter.notify((observer) =>
        observer.policyDecided?.(signer.chain, decision.rule, decision.action),
      );
      const count = () =>
        usage.record({
          chain: signer.chain,
          wallet,
          at: Date.now(),
          amounts: (summary?.amounts ?? [])
            .filter((amount) => /^\d+$/.test(amount.value))
            .map((amount) => ({ asset: amount.asset, value: BigInt(amount.value) })),
        });
      const none = () => undefined;
      if (decision.action === 'allow') {
        count();
        return { decided: { approved: true } as ApprovalDecision, signed: none };
      }
      if (decision.action === 'deny') {
        return {
          decided: { approved: false, reason: `policy: ${decision.reason}` } as ApprovalDecision,
          signed: none,
        };
      }
      if (!this.config.externalUrl) {
        const reason = `policy: ${decision.reason}, and no approval server is configured (--externalUrl)`;
        return { decided: { approved: false, reason } as ApprovalDecision, signed: none };
      }
      return { signed: count };
    };
    const result = this.policyTurn.then(decide);
    this.policyTurn = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  /** What a signed approval is bound to: the payload's hash and the chain's summary of it. */
  private async binding(
    signer: ChainSigner,
    tx: PendingTransaction,
  ): Promise<{ chain: string; payloadHash: string; summary?: TransactionSummary }> {
    // The request signAndSend signs, less its keys: describe decodes it with the signer's own parser.
    const summary = await signer.describe?.({
      pendingId: tx.id,
      serializedTransaction: tx.serializedTransaction,
      testnet: this.config.testnet,
      withdrawal: Boolean(tx.withdrawalId),
    });
    return { chain: signer.chain, payloadHash: payloadHash(tx), summary: summary && orderedSummary(summary) };
  }

  private fail(report: CycleReport, id: string | undefined, error: unknown, chain: string): void {
    const message = this.message(error);
    report.failed++;
    this.reporter.report({
      chain,
      pendingId: id === undefined ? undefined : printable(id),
      outcome: 'failed',
      reason: message,
    });
    // The API matches the report to the pending transaction by its id exactly as it sent it.
    if (id) report.errors.push({ signatureId: id, error: message });
  }

  /** One line, without node URL credentials (a node may echo its URL in its own messages). */
  private message(error: unknown): string {
    return this.redact(safeErrorMessage(error));
  }

  private redact(text: string): string {
    return redactSecrets(text, this.nodeSecrets);
  }

  private async lookup(id: string) {
    try {
      return await this.store.get(id);
    } catch (error) {
      if (error instanceof WalletNotFoundError) return undefined;
      throw error;
    }
  }
}

/** What the API answered to a broadcast it took: off-chain answers may carry no txId. */
interface Sent {
  txId?: string;
}

/**
 * The broadcast surely did not take the transaction: the API refused it (4xx) or reported it failed.
 * Anything else (no answer, a timeout, a 5xx, an odd answer) may hide a broadcast that happened.
 */
function surelyNotTaken(error: unknown): boolean {
  if (error instanceof BroadcastFailedError) return true;
  return (
    error instanceof TatumApiError &&
    error.failure === 'http' &&
    error.status !== undefined &&
    error.status >= 400 &&
    error.status < 500
  );
}
