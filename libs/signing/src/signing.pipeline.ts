import { Injectable, Logger } from '@nestjs/common';
import { ChainRegistry, InvalidTransactionError, type ChainSigner } from '@kms/chains';
import { safeErrorMessage } from '@kms/common';
import { InjectKmsConfig, type KmsConfig } from '@kms/config';
import { InjectApprovalGateway, type ApprovalGateway } from '@kms/four-eye';
import { InjectWalletStore, WalletNotFoundError, type WalletStore } from '@kms/storage';
import { TatumClient, type PendingTransaction, type PendingTxError } from '@kms/tatum';
import { forEachBounded } from './bounded';
import { resolveKeys } from './key-resolver';
import { BroadcastFailedError } from './signing.errors';
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
}

/**
 * One daemon cycle (ARCHITECTURE.md "The daemon's data flow"): for each chain, list the store's
 * wallets, pull their pending transactions, and for each (bounded concurrency) ask the four-eye
 * server, resolve keys, sign locally and broadcast. One bad transaction never stops the others;
 * every failure of the cycle goes into ONE error batch. Denied transactions are logged and skipped.
 * No log line or report contains a secret: messages come from safeErrorMessage.
 */
@Injectable()
export class SigningPipeline {
  private readonly logger = new Logger('SigningPipeline');
  private readonly network: TatumSigningNetwork;

  constructor(
    private readonly chains: ChainRegistry,
    @InjectWalletStore() private readonly store: WalletStore,
    private readonly tatum: TatumClient,
    @InjectApprovalGateway() private readonly approvals: ApprovalGateway,
    @InjectKmsConfig() private readonly config: KmsConfig,
  ) {
    this.network = new TatumSigningNetwork(tatum, config.nodeUrls);
  }

  async runCycle(options: CycleOptions = {}): Promise<CycleReport> {
    const report: CycleReport = { pending: 0, broadcast: 0, denied: 0, failed: 0, errors: [] };
    await this.store.refreshIfChanged?.();
    for (const chain of options.chains ?? this.chains.chains()) {
      if (options.signal?.aborted) break;
      await this.runChain(chain, options, report);
    }
    if (report.errors.length) {
      try {
        await this.tatum.reportErrors(report.errors);
      } catch (error) {
        this.logger.error(
          `Could not report ${report.errors.length} failures to the Tatum API: ${safeErrorMessage(error)}`,
        );
      }
    }
    return report;
  }

  private async runChain(chain: string, options: CycleOptions, report: CycleReport): Promise<void> {
    const signer = this.chains.get(chain);
    let ids = await this.store.ids({ chain: signer.chain, testnet: this.config.testnet });
    if (options.wallets) ids = ids.filter((id) => options.wallets!.includes(id));
    if (ids.length === 0) return;

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
      this.logger.error(`Could not fetch pending ${signer.chain} transactions: ${safeErrorMessage(error)}`);
      return;
    }
    if (options.transactionIds)
      transactions = transactions.filter((tx) => options.transactionIds!.includes(tx.id));
    report.pending += transactions.length;
    const processing = Date.now();
    await forEachBounded(transactions, CONCURRENCY, (tx) => this.process(signer, tx, report), options.signal);
    this.logger.debug(
      `Processed ${transactions.length} ${signer.chain} transactions in ${Date.now() - processing} ms`,
    );
  }

  private async process(signer: ChainSigner, tx: PendingTransaction, report: CycleReport): Promise<void> {
    try {
      if (tx.chain.toUpperCase() !== signer.chain) {
        throw new InvalidTransactionError(signer.chain, `it is a ${tx.chain} transaction`);
      }
      // The approval server sees the transaction as the API sent it, not the KMS's validated copy.
      const decision = await this.approvals.approve(tx.received);
      if (!decision.approved) {
        report.denied++;
        this.logger.warn(`Not signing ${signer.chain} transaction ${tx.id}: ${decision.reason}`);
        return;
      }
      const keys = await resolveKeys(tx, (id) => this.lookup(id), signer, { testnet: this.config.testnet });
      const txData = await signer.signTransaction({
        pendingId: tx.id,
        serializedTransaction: tx.serializedTransaction,
        keys: keys.keys,
        inputKeys: keys.inputKeys,
        withdrawal: Boolean(tx.withdrawalId),
        testnet: this.config.testnet,
        network: this.network,
      });
      const txId =
        tx.withdrawalId && !signer.submitsItself
          ? (
              await this.tatum.offchainBroadcast({
                currency: signer.chain,
                txData,
                withdrawalId: tx.withdrawalId,
                signatureId: tx.id,
              })
            ).txId
          : await this.broadcast(signer.chain, txData, tx.id);
      report.broadcast++;
      // One line per success only when debugging (TATUM_KMS_DEBUG_MODE): at 1,000 transactions a
      // cycle, writing them costs more than signing; the cycle summary counts them.
      this.logger.debug(`Broadcast ${signer.chain} transaction ${tx.id}: txId ${txId}`);
    } catch (error) {
      this.fail(report, tx.id, error, signer.chain);
    }
  }

  private async broadcast(chain: string, txData: string, id: string): Promise<string> {
    const result = await this.tatum.broadcast(chain, txData, id);
    if (result.failed) throw new BroadcastFailedError(result.txId);
    return result.txId;
  }

  private fail(report: CycleReport, id: string | undefined, error: unknown, chain: string): void {
    const message = safeErrorMessage(error);
    report.failed++;
    this.logger.error(`Failed ${chain} transaction ${id ?? '(without id)'}: ${message}`);
    if (id) report.errors.push({ signatureId: id, error: message });
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
