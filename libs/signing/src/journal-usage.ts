import type { SigningJournal } from '@kms/journal';
import type { UsageQuery, UsageRecord, UsageSource } from '@kms/policy';

/**
 * The policy's rolling windows counted from the signing journal, so limits hold across restarts and
 * across replicas sharing one journal: what the journal recorded as signed within the horizon (the
 * policy's longest window), read again at the start of every cycle, plus what this process allowed
 * since and the journal does not show yet (an allowed transaction counts from its decision on, so
 * concurrent decisions cannot all fit in a window's last room). Replicas see each other's signings
 * from their next cycle on.
 */
export class JournalUsage implements UsageSource {
  private history: UsageRecord[] = [];
  private readonly inJournal = new Set<string>();
  private readonly local = new Map<string, UsageRecord>();

  constructor(
    private readonly journal: SigningJournal,
    private readonly horizonMs: number,
  ) {}

  /** Reads the journal's signed entries of the horizon again. */
  async refresh(now = Date.now()): Promise<void> {
    const history: UsageRecord[] = [];
    this.inJournal.clear();
    if (this.horizonMs > 0) {
      for await (const entry of this.journal.list({
        since: new Date(now - this.horizonMs),
        outcome: 'signed',
      })) {
        if (entry.kind !== 'signed') continue;
        this.inJournal.add(key(entry.chain, entry.pendingId));
        history.push({
          chain: entry.chain,
          wallet: entry.wallets?.[0] ?? '',
          at: Date.parse(entry.time),
          amounts: (entry.amounts ?? [])
            .filter((amount) => /^\d+$/.test(amount.value))
            .map((amount) => ({ asset: amount.asset, value: BigInt(amount.value) })),
        });
      }
    }
    this.history = history;
    for (const [id, record] of this.local) {
      if (this.inJournal.has(id) || record.at < now - this.horizonMs) this.local.delete(id);
    }
  }

  /** Counts a transaction the policy allowed, from now on (`pendingId` names it in the journal). */
  record(entry: UsageRecord & { pendingId?: string }): void {
    const id = key(entry.chain, entry.pendingId ?? `local-${this.local.size}-${entry.at}`);
    if (!this.inJournal.has(id)) this.local.set(id, entry);
  }

  async usage(query: UsageQuery): Promise<{ count: number; amount: bigint }> {
    let count = 0;
    let amount = 0n;
    for (const record of [...this.history, ...this.local.values()]) {
      if (record.chain !== query.chain || record.at < query.since) continue;
      if (query.wallet !== undefined && record.wallet !== query.wallet) continue;
      count++;
      for (const each of record.amounts) if (each.asset === query.asset) amount += each.value;
    }
    return { count, amount };
  }
}

const key = (chain: string, pendingId: string) => `${chain}\u0000${pendingId}`;
