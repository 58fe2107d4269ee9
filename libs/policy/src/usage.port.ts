/** Which signed transactions a window counts. */
export interface UsageQuery {
  chain: string;
  /** Set for per-wallet windows. */
  wallet?: string;
  asset?: string;
  /** Epoch ms: transactions signed from then on. */
  since: number;
}

/**
 * What was signed recently, for the policy's rolling windows. The daemon's source is the signing
 * journal, so limits hold across restarts and across replicas sharing one journal.
 */
export interface UsageSource {
  usage(query: UsageQuery): Promise<{ count: number; amount: bigint }>;
}

/** A usage record: one signed transaction and its amounts. */
export interface UsageRecord {
  chain: string;
  wallet: string;
  at: number;
  amounts: Array<{ asset: string; value: bigint }>;
}

/** UsageSource over records kept in memory (tests, `policy check`). */
export class InMemoryUsage implements UsageSource {
  readonly records: UsageRecord[] = [];

  record(entry: UsageRecord): void {
    this.records.push(entry);
  }

  async usage(query: UsageQuery): Promise<{ count: number; amount: bigint }> {
    let count = 0;
    let amount = 0n;
    for (const record of this.records) {
      if (record.chain !== query.chain || record.at < query.since) continue;
      if (query.wallet !== undefined && record.wallet !== query.wallet) continue;
      count++;
      for (const each of record.amounts) if (each.asset === query.asset) amount += each.value;
    }
    return { count, amount };
  }
}
