// Signing journal benchmark (prints figures, never fails on time): the daemon cycle of
// bench/daemon-cycle.bench.js (1,000 pending ETH transactions of 1,000 wallets, served by the fake
// Tatum API on loopback, all approved by a local four-eye server), `daemon --runOnce`, with the
// embedded journal (this build: always on, a fresh id set per round so every transaction is claimed,
// signed, recorded and broadcast) against a build without it, when KMS_BENCH_BASELINE_MAIN names
// that build's dist/main.js (e.g. the commit before the journal, built elsewhere). Rounds alternate;
// medians of wall time are compared (goal: at most 20% slower). Also: the journal's commits and size.
require('./support/register-ts');
const { existsSync, mkdtempSync, rmSync, statSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { DatabaseSync } = require('node:sqlite');
const { FakeTatumApi } = require('../test/support/fake-tatum-api');
const { ApprovalServer } = require('../test/support/approval-server');
const { runCli, median, fmt } = require('./support/run-cli');

const PENDING = 1_000;
const ROUNDS = Number(process.env.KMS_BENCH_ROUNDS || 3);
const API_KEY = 'bench-api-key';

async function main() {
  const baseline = process.env.KMS_BENCH_BASELINE_MAIN;
  if (baseline && !existsSync(baseline)) throw new Error(`KMS_BENCH_BASELINE_MAIN: no ${baseline}`);
  const dir = mkdtempSync(join(tmpdir(), 'kms-bench-journal-'));
  const api = await FakeTatumApi.start({ apiKey: API_KEY });
  const approvals = await ApprovalServer.start();
  // debug: the daemon logs how long the cycle's transactions took (start-up excluded) and the journal's commits
  const env = {
    TATUM_KMS_PASSWORD: 'bench-password',
    HOME: dir,
    TATUM_API_URL: api.url,
    TATUM_KMS_LOG_LEVEL: 'debug',
  };
  try {
    const path = join(dir, 'wallets.dat');
    const batch = await runCli(['generatemanagedprivatekeybatch', 'ETH', String(PENDING), '--path', path], {
      env,
    });
    const wallets = batch.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    const serve = (round) =>
      api.addPending(
        wallets.map((wallet, i) => ({
          id: `bench-${round}-${i}`,
          chain: 'ETH',
          hashes: [wallet.signatureId],
          serializedTransaction: JSON.stringify({
            to: wallets[(i + 1) % PENDING].address,
            value: String(1_000_000 + i),
            nonce: i % 7,
            gasPrice: '20000000000',
            gas: '21000',
          }),
        })),
      );
    const args = [
      'daemon',
      '--runOnce',
      '--chain',
      'ETH',
      '--path',
      path,
      '--apiKey',
      API_KEY,
      '--externalUrl',
      approvals.url,
    ];
    const cycle = async (round, main) => {
      serve(round);
      const before = api.broadcasts.length;
      const run = await runCli(args, { env, main });
      if (api.broadcasts.length - before !== PENDING)
        throw new Error(`round ${round}: not all ${PENDING} broadcast`);
      const processed = /Processed \d+ ETH transactions in (\d+) ms/.exec(run.stdout);
      const commits = /Journal: (.*commits)/.exec(run.stdout);
      return { ...run, cycleMs: processed ? Number(processed[1]) : NaN, commits: commits?.[1] };
    };
    const withJournal = [];
    const without = [];
    for (let round = 0; round < ROUNDS; round++) {
      if (baseline) without.push(await cycle(`base-${round}`, baseline));
      withJournal.push(await cycle(`journal-${round}`));
    }
    const wall = (runs) => median(runs.map((run) => run.wallMs));
    const cpu = (runs) => median(runs.map((run) => run.cpuMs));
    const rss = (runs) => median(runs.map((run) => run.maxRssMiB));
    const cycleMs = (runs) => median(runs.map((run) => run.cycleMs));
    console.log(
      `daemon --runOnce, ${PENDING} pending ETH, embedded journal: ${fmt(wall(withJournal))} ms wall (the cycle's transactions: ${fmt(cycleMs(withJournal))} ms), ${fmt(cpu(withJournal))} ms CPU, ${fmt(rss(withJournal))} MiB peak RSS (median of ${ROUNDS}); journal: ${withJournal.at(-1).commits}`,
    );
    if (baseline) {
      const ratio = wall(withJournal) / wall(without);
      console.log(
        `the same cycle without a journal (${baseline}): ${fmt(wall(without))} ms wall (the cycle's transactions: ${fmt(cycleMs(without))} ms), ${fmt(cpu(without))} ms CPU, ${fmt(rss(without))} MiB; ` +
          `with/without: wall ${fmt(ratio, 2)}, cycle ${fmt(cycleMs(withJournal) / cycleMs(without), 2)}, CPU ${fmt(cpu(withJournal) / cpu(without), 2)} (goal: at most 1.20)`,
      );
    } else {
      console.log('set KMS_BENCH_BASELINE_MAIN=<a build without the journal>/dist/main.js to compare');
    }
    const file = join(dir, 'journal.sqlite');
    const db = new DatabaseSync(file, { readOnly: true });
    const { entries } = db.prepare('SELECT count(*) AS entries FROM entries').get();
    db.close();
    console.log(
      `journal: ${entries} entries for ${ROUNDS * PENDING} transactions, ${fmt(statSync(file).size / 2 ** 20, 1)} MiB (${fmt(statSync(file).size / entries)} bytes per entry)`,
    );
  } finally {
    await api.stop();
    await approvals.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
