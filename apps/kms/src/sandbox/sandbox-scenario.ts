import { randomBytes, randomUUID } from 'node:crypto';
import { DEMO_CHAINS, type DemoWallet } from './demo-chains';
import type { PendingItem } from './sandbox-api';

/** What the daemon must do with a pending transaction of the scenario. */
export type Expectation = 'signed' | 'denied' | 'failed';

export interface ScenarioEntry {
  chain: string;
  /** What it is, for the table. */
  label: string;
  item: PendingItem;
  /** The signatureIds the API serves it for (the wallet ids it names). */
  signatureIds: string[];
  expect: Expectation;
}

/** Variants a chain's demo uses per round, so a later round's transactions differ from earlier ones. */
const VARIANTS_PER_ROUND = 3;

/**
 * The pending transactions of one sandbox round, for wallets given in chain order:
 * - every chain: one good transaction (the first chain two), to be signed;
 * - the first chain: one more that the approval server denies;
 * - the first chain: three bad ones: one that also names a wallet this store does not hold, one whose
 *   serializedTransaction is truncated JSON, and an item without serializedTransaction.
 * Ids look like Tatum's (24 hex digits) and are new every time.
 */
export async function buildScenario(wallets: readonly DemoWallet[], round = 0): Promise<ScenarioEntry[]> {
  const entries: ScenarioEntry[] = [];
  const variant = (v: number) => round * VARIANTS_PER_ROUND + v;
  const add = async (wallet: DemoWallet, v: number, expect: Expectation) => {
    const { label, item } = await DEMO_CHAINS.get(wallet.chain)!.pending(wallet, variant(v));
    entries.push({
      chain: wallet.chain,
      label,
      item: { id: pendingId(), ...item },
      signatureIds: [wallet.signatureId],
      expect,
    });
  };
  const [first, ...others] = wallets;
  await add(first, 0, 'signed');
  await add(first, 1, 'signed');
  for (const wallet of others) await add(wallet, 0, 'signed');
  await add(first, 2, 'denied');

  const { item } = await DEMO_CHAINS.get(first.chain)!.pending(first, variant(0));
  const refs = (item.signatures as Array<{ id: string; index: number }> | undefined) ?? [];
  const bad = (label: string, changed: Record<string, unknown>): ScenarioEntry => ({
    chain: first.chain,
    label,
    item: { ...item, ...changed, id: pendingId() },
    signatureIds: [first.signatureId],
    expect: 'failed',
  });
  entries.push(
    bad('also needs a wallet this store does not hold', {
      signatures: [...refs, { id: randomUUID(), index: 0 }],
    }),
    bad('malformed payload (truncated JSON)', {
      serializedTransaction: String(item.serializedTransaction).slice(0, 40),
    }),
    bad('malformed item (no serializedTransaction)', { serializedTransaction: undefined }),
  );
  return entries;
}

/** A pending id as Tatum makes them (a MongoDB ObjectId: 24 hex digits). */
function pendingId(): string {
  return randomBytes(12).toString('hex');
}
