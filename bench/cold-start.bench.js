// Cold start of the built CLI against plain Node and Nest: `getaddress` on a one-wallet store (the
// product's default scrypt cost), `--version` (no store), and `node -e "require('@nestjs/core')"`,
// interleaved so that machine load hits each alike. Prints medians of wall and CPU time; no assertion.
// `node bench/cold-start.bench.js [runs]` (default 15).
const { execFileSync } = require('node:child_process');
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { runCli, median, fmt } = require('./support/run-cli');

const RUNS = Number(process.argv[2] ?? 15);
const MAIN = join(__dirname, '..', 'dist', 'main.js');
const PRELOAD = join(__dirname, 'support', 'max-rss.js');

/** A node one-liner measured like runCli: wall time, and the child's own CPU time. */
function runNode(code) {
  const dir = mkdtempSync(join(tmpdir(), 'kms-bench-node-'));
  const usageFile = join(dir, 'usage.json');
  const started = process.hrtime.bigint();
  execFileSync(process.execPath, ['-r', PRELOAD, '-e', code], {
    cwd: join(__dirname, '..'),
    env: { ...process.env, KMS_BENCH_USAGE_FILE: usageFile },
  });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const usage = require(usageFile);
  rmSync(dir, { recursive: true, force: true });
  return { wallMs, cpuMs: usage.cpuMicros / 1000 };
}

async function main() {
  const home = mkdtempSync(join(tmpdir(), 'kms-bench-cold-'));
  const env = { HOME: home, TATUM_KMS_PASSWORD: 'cold-start-bench' };
  const path = join(home, 'wallet.dat');
  const created = execFileSync(process.execPath, [MAIN, 'generatemanagedwallet', 'ETH', '--path', path], {
    env: { ...process.env, ...env },
  });
  const { signatureId } = JSON.parse(created);

  const cases = {
    'node -e 0': () => runNode('0'),
    "node -e \"require('@nestjs/core')\"": () => runNode("require('@nestjs/core')"),
    'tatum-kms --version': () => runCli(['--version'], { env }),
    'tatum-kms getaddress (1 wallet, scrypt N=2^16)': () =>
      runCli(['getaddress', signatureId, '0', '--path', path], { env }),
  };
  const times = Object.fromEntries(Object.keys(cases).map((name) => [name, { wall: [], cpu: [] }]));
  for (let i = 0; i < RUNS; i++) {
    for (const [name, run] of Object.entries(cases)) {
      const { wallMs, cpuMs } = await run();
      times[name].wall.push(wallMs);
      times[name].cpu.push(cpuMs);
    }
  }
  rmSync(home, { recursive: true, force: true });

  console.log(`cold start, median of ${RUNS} interleaved runs (node ${process.version}):`);
  const nest = median(times["node -e \"require('@nestjs/core')\""].wall);
  for (const [name, { wall, cpu }] of Object.entries(times)) {
    const ratio = median(wall) / nest;
    console.log(
      `  ${name.padEnd(48)} wall ${fmt(median(wall)).padStart(5)} ms  cpu ${fmt(median(cpu)).padStart(5)} ms  (${fmt(ratio, 2)}x Nest)`,
    );
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
