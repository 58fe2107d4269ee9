// Issue "foundation" benchmarks (print figures, never fail on time):
// 1. generatemanagedprivatekeybatch ETH 10000 into a new file: wall time and peak RSS.
// 2. cold start of `getaddress <id> 0` on a file with 25,000 wallets: median wall time of 10 runs.
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { runCli, median, fmt } = require('./support/run-cli');

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'kms-bench-'));
  const env = { TATUM_KMS_PASSWORD: 'bench-password', HOME: dir };
  try {
    const batch = await runCli(
      ['generatemanagedprivatekeybatch', 'ETH', '10000', '--path', join(dir, 'batch.dat')],
      { env },
    );
    console.log(
      `generatemanagedprivatekeybatch ETH 10000 (new file): ${fmt(batch.wallMs)} ms wall, ${fmt(batch.maxRssMiB)} MiB peak RSS (target < 10000 ms, < 300 MiB)`,
    );

    const big = join(dir, 'big.dat');
    const first = await runCli(['generatemanagedprivatekeybatch', 'ETH', '25000', '--path', big], { env });
    const id = JSON.parse(first.stdout.split('\n')[0]).signatureId;
    const runs = [];
    for (let i = 0; i < 10; i++)
      runs.push((await runCli(['getaddress', id, '0', '--path', big], { env })).wallMs);
    console.log(
      `getaddress <id> 0 cold start, 25,000 wallets: median ${fmt(median(runs))} ms of 10 (min ${fmt(Math.min(...runs))}, max ${fmt(Math.max(...runs))}) (target < 800 ms)`,
    );
    const baseline = [];
    for (let i = 0; i < 5; i++) baseline.push((await runCli(['generatewallet', 'ETH'], { env })).wallMs);
    console.log(
      `for reference, generatewallet ETH (boot, no store): median ${fmt(median(baseline))} ms of 5`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
