import type { SandboxRow } from './sandbox-row';

/** Longest txId or reason shown in the table; the full text follows the table (reasons) or is in --json. */
const CELL_WIDTH = 48;

const COLUMNS: Array<[string, (row: SandboxRow) => string]> = [
  ['PENDING ID', (row) => row.pendingId],
  ['CHAIN', (row) => row.chain],
  ['TRANSACTION', (row) => row.transaction],
  ['APPROVAL', (row) => row.approval],
  ['OUTCOME', (row) => row.outcome],
  ['TXID OR REASON', (row) => clip(row.txId ?? row.reason ?? '')],
  ['LOCAL CHECK', localCheck],
];

/**
 * The sandbox's table: one line per pending transaction (pending id, chain, what it is, approval,
 * outcome, txId or reason, the local check), the full reasons below it, and a closing summary.
 * Plain text, columns padded with spaces, no colour, so it reads the same in a terminal and a file.
 */
export function renderTable(rows: readonly SandboxRow[]): string {
  const cells = [COLUMNS.map(([title]) => title), ...rows.map((row) => COLUMNS.map(([, cell]) => cell(row)))];
  const widths = COLUMNS.map((_, i) => Math.max(...cells.map((line) => line[i].length)));
  const lines = cells.map((line) =>
    line
      .map((cell, i) => cell.padEnd(widths[i]))
      .join('  ')
      .trimEnd(),
  );
  const reasons = rows
    .filter((row) => row.reason !== undefined)
    .map((row) => `  ${row.pendingId} (${row.outcome}): ${row.reason}`);
  return [...lines, ...(reasons.length ? ['', 'Reasons:', ...reasons] : []), '', summary(rows), ''].join(
    '\n',
  );
}

/** The rows as JSON lines, one object per pending transaction (the same fields as the table, in full). */
export function renderJsonLines(rows: readonly SandboxRow[]): string {
  return rows.map((row) => `${JSON.stringify(row)}\n`).join('');
}

/** One sentence: what the cycle did and whether every transaction went as the scenario expects. */
export function summary(rows: readonly SandboxRow[]): string {
  const count = (outcome: SandboxRow['outcome']) => rows.filter((row) => row.outcome === outcome).length;
  const verified = rows.filter((row) => row.check?.verified).length;
  const off = rows.filter((row) => !row.asExpected).length;
  const verdict = off === 0 ? 'all as expected' : `${off} NOT as expected`;
  return (
    `${rows.length} pending: ${count('signed')} signed (${verified} verified locally), ${count('denied')} denied, ` +
    `${count('failed')} failed; ${verdict}. A demo: nothing was sent to any network.`
  );
}

function localCheck(row: SandboxRow): string {
  if (!row.check) return row.outcome === 'signed' ? 'not checked' : '-';
  return `${row.check.verified ? 'verified' : 'FAILED'}: ${row.check.detail}`;
}

function clip(text: string): string {
  return text.length <= CELL_WIDTH ? text : `${text.slice(0, CELL_WIDTH - 1)}…`;
}
