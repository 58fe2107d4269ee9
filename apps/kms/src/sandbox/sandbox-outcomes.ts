import { safeErrorMessage } from '@kms/common';
import type { OutcomeEvent } from '@kms/signing';
import { DEMO_CHAINS, type DemoWallet, type Verification } from './demo-chains';
import type { SandboxApi } from './sandbox-api';
import type { SandboxApprovals } from './sandbox-approvals';
import type { SandboxRow } from './sandbox-row';
import type { ScenarioEntry } from './sandbox-scenario';

/** What a sandbox cycle left behind: the daemon's outcomes and what its servers recorded. */
export interface CycleEvidence {
  outcomes: ReadonlyMap<string, OutcomeEvent>;
  api: SandboxApi;
  approvals: SandboxApprovals;
  wallets: readonly DemoWallet[];
}

/**
 * One row per scenario entry, in its order: the approval server's verdict, the daemon's outcome, and
 * for a signed transaction the local check of what reached the API (or, for SOL, the sandbox node).
 */
export async function describeOutcomes(
  entries: readonly ScenarioEntry[],
  { outcomes, api, approvals, wallets }: CycleEvidence,
): Promise<SandboxRow[]> {
  const reported = new Set(api.errorReports.map((report) => report.signatureId));
  return Promise.all(
    entries.map(async (entry): Promise<SandboxRow> => {
      const id = entry.item.id;
      const event = outcomes.get(id);
      const outcome = event?.outcome ?? 'none';
      const row: SandboxRow = {
        pendingId: id,
        chain: entry.chain,
        transaction: entry.label,
        approval: approvals.verdicts.get(id) ?? 'not asked',
        outcome,
        ...(event?.txId === undefined ? {} : { txId: event.txId }),
        ...(event?.reason === undefined ? {} : { reason: event.reason }),
        ...(outcome === 'failed' ? { reportedToApi: reported.has(id) } : {}),
        expected: entry.expect,
        asExpected: false,
      };
      if (outcome === 'signed') row.check = await checkSigned(entry, api, wallets);
      row.asExpected =
        outcome === entry.expect &&
        (outcome !== 'signed' || row.check!.verified) &&
        (outcome !== 'failed' || row.reportedToApi === true);
      return row;
    }),
  );
}

async function checkSigned(
  entry: ScenarioEntry,
  api: SandboxApi,
  wallets: readonly DemoWallet[],
): Promise<Verification> {
  const demo = DEMO_CHAINS.get(entry.chain)!;
  const broadcast = api.broadcasts.find((b) => b.signatureId === entry.item.id);
  if (!broadcast) return { verified: false, detail: 'nothing reached the API' };
  const onNode = demo.signedOnNode ? api.node.solanaSubmissions.get(broadcast.txData) : undefined;
  if (demo.signedOnNode && !onNode)
    return { verified: false, detail: 'the node received no transaction with that id' };
  const wallet = wallets.find((w) => w.chain === entry.chain)!;
  try {
    return await demo.verify({
      signed: onNode ? Buffer.from(onNode).toString('base64') : broadcast.txData,
      txId: broadcast.txId,
      item: entry.item,
      wallet,
    });
  } catch (error) {
    return { verified: false, detail: `it cannot be read: ${safeErrorMessage(error)}` };
  }
}
