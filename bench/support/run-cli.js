// Runs the built CLI once and measures it: wall time, and the child's own peak RSS and CPU time.
const { spawn } = require('node:child_process');
const { mkdtempSync, readFileSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const MAIN = join(__dirname, '..', '..', 'dist', 'main.js');
const PRELOAD = join(__dirname, 'max-rss.js');

/** `main`: another build's dist/main.js (a baseline to compare with); this checkout's by default. */
async function runCli(args, { env = {}, input = '', main = MAIN } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'kms-bench-usage-'));
  const usageFile = join(dir, 'usage.json');
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, ['-r', PRELOAD, main, ...args], {
    env: { ...process.env, ...env, KMS_BENCH_USAGE_FILE: usageFile },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  child.stdin.end(input);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const code = await new Promise((resolve) => child.on('close', resolve));
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const usage = JSON.parse(readFileSync(usageFile, 'utf8'));
  rmSync(dir, { recursive: true, force: true });
  if (code !== 0) throw new Error(`kms ${args[0]} failed (${code}): ${stderr}`);
  return { stdout, stderr, wallMs, maxRssMiB: usage.maxRssBytes / 2 ** 20, cpuMs: usage.cpuMicros / 1000 };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const fmt = (value, digits = 0) => value.toFixed(digits);

module.exports = { runCli, median, fmt };
