import type { SandboxRow } from './sandbox-row';
import { renderJsonLines, renderTable, summary } from './sandbox-table';

const signed: SandboxRow = {
  pendingId: '6526e0c9a0f1b2c3d4e5f601',
  chain: 'ETH',
  transaction: 'transfer of 0.0123 ETH',
  approval: 'approved',
  outcome: 'signed',
  txId: `0x${'ab'.repeat(32)}`,
  check: { verified: true, detail: 'signer 0x12ab…cdef = wallet address 0' },
  expected: 'signed',
  asExpected: true,
};
const denied: SandboxRow = {
  pendingId: '6526e0c9a0f1b2c3d4e5f602',
  chain: 'BTC',
  transaction: 'transfer',
  approval: 'denied',
  outcome: 'denied',
  reason: 'approval server answered 403',
  expected: 'denied',
  asExpected: true,
};
const failed: SandboxRow = {
  pendingId: '6526e0c9a0f1b2c3d4e5f603',
  chain: 'TRON',
  transaction: 'malformed payload (truncated JSON)',
  approval: 'not asked',
  outcome: 'failed',
  reason: `Invalid TRON pending transaction: ${'x'.repeat(80)}`,
  reportedToApi: true,
  expected: 'failed',
  asExpected: true,
};

describe('renderTable', () => {
  const text = renderTable([signed, denied, failed]);
  const lines = text.split('\n');

  it('aligns one line per transaction under the headers', () => {
    expect(lines[0]).toMatch(
      /^PENDING ID {16}CHAIN {2}TRANSACTION {25}APPROVAL {3}OUTCOME {2}TXID OR REASON/,
    );
    const outcomeColumn = lines[0].indexOf('OUTCOME');
    expect(lines.slice(1, 4).map((line) => line.slice(outcomeColumn, outcomeColumn + 7))).toEqual([
      'signed ',
      'denied ',
      'failed ',
    ]);
    expect(lines[1]).toMatch(/ verified: signer 0x12ab…cdef = wallet address 0$/);
    expect(lines[2]).toMatch(/approval server answered 403\s+-$/);
  });

  it('clips a long txId or reason in the table and gives the full reasons below it', () => {
    expect(lines[1]).toContain(`${signed.txId!.slice(0, 47)}… `);
    expect(lines[3]).not.toContain('x'.repeat(80));
    expect(lines.slice(lines.indexOf('Reasons:') + 1, lines.indexOf('Reasons:') + 3)).toEqual([
      '  6526e0c9a0f1b2c3d4e5f602 (denied): approval server answered 403',
      `  6526e0c9a0f1b2c3d4e5f603 (failed): ${failed.reason}`,
    ]);
  });

  it('ends with the summary', () => {
    expect(lines.at(-2)).toBe(
      '3 pending: 1 signed (1 verified locally), 1 denied, 1 failed; all as expected. A demo: nothing was sent to any network.',
    );
  });
});

describe('summary', () => {
  it('counts the transactions that did not go as expected', () => {
    const unverified: SandboxRow = {
      ...signed,
      check: { verified: false, detail: 'signer is not the wallet' },
      asExpected: false,
    };
    expect(summary([unverified, denied])).toMatch(
      /^2 pending: 1 signed \(0 verified locally\), 1 denied, 0 failed; 1 NOT as expected\./,
    );
  });
});

describe('renderJsonLines', () => {
  it('writes each row in full as one JSON line', () => {
    const lines = renderJsonLines([signed, failed]).split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('');
    expect(JSON.parse(lines[0])).toEqual(signed);
    expect(JSON.parse(lines[1]).reason).toBe(failed.reason);
  });
});
