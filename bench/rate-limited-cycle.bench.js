// Rate-limit benchmark (prints figures, never fails on time): one `daemon --runOnce` cycle of 1,000
// pending ETH transactions against the fake Tatum API limited to 200 requests a second (429 with
// Retry-After beyond, as Tatum's plans answer). Prints the cycle's wall time, the requests it made, how
// many were refused, the rate it reached against the limit, and how many transactions failed.
// `node bench/rate-limited-cycle.bench.js [other-checkout ...]` also runs the builds of other checkouts
// (each with dist/ built), for a before/after comparison.
require('./support/register-ts');
const { spawn } = require('node:child_process');
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join, resolve } = require('node:path');
const { FakeTatumApi } = require('../test/support/fake-tatum-api');
const { runCli, fmt } = require('./support/run-cli');

const PENDING = 1_000;
const LIMIT = 200;
const API_KEY = 'bench-api-key';

function daemon(checkout, args, env) {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [join(checkout, 'dist', 'main.js'), ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', fail);
    child.on('close', (code) => done({ code, output }));
  });
}

async function main() {
  const checkouts = [resolve(__dirname, '..'), ...process.argv.slice(2).map((path) => resolve(path))];
  const dir = mkdtempSync(join(tmpdir(), 'kms-bench-rate-'));
  const api = await FakeTatumApi.start({ apiKey: API_KEY });
  const env = { TATUM_KMS_PASSWORD: 'bench-password', HOME: dir, TATUM_API_URL: api.url };
  try {
    const path = join(dir, 'wallets.dat');
    const batch = await runCli(
      ['generatemanagedprivatekeybatch', 'ETH', String(PENDING), '--testnet', '--path', path],
      {
        env,
      },
    );
    const wallets = batch.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    console.log(`rate limit ${LIMIT} requests/s, ${PENDING} pending ETH transactions, one --runOnce cycle:`);
    for (const checkout of checkouts) {
      api.clearPending();
      api.addPending(
        wallets.map((wallet, i) => ({
          id: `rate-${i}`,
          chain: 'ETH',
          hashes: [wallet.signatureId],
          serializedTransaction: JSON.stringify({
            to: wallets[(i + 1) % PENDING].address,
            value: '1000',
            nonce: 0,
            gasPrice: '20000000000',
            gas: '21000',
          }),
        })),
      );
      api.setRateLimit(LIMIT);
      const requestsBefore = api.requests.length;
      const limitedBefore = api.rateLimited;
      const broadcastsBefore = api.broadcasts.length;
      const errorsBefore = api.errorBatches.flat().length;
      const started = process.hrtime.bigint();
      const run = await daemon(
        checkout,
        ['daemon', '--runOnce', '--testnet', '--chain', 'ETH', '--path', path, '--apiKey', API_KEY],
        env,
      );
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      api.setRateLimit(undefined);
      const made = api.requests.slice(requestsBefore);
      const requests = made.length;
      const accepted = requests - (api.rateLimited - limitedBefore);
      // the rate over the cycle's requests, from the first to the last (process start-up excluded)
      const span = Math.max(1, made.at(-1).at - made[0].at) / 1000;
      const broadcast = new Set(api.broadcasts.slice(broadcastsBefore).map((b) => b.signatureId)).size;
      console.log(
        `  ${checkout === checkouts[0] ? 'this build' : checkout}: ${fmt(seconds, 1)} s, exit ${run.code}; ` +
          `${broadcast}/${PENDING} broadcast, ${api.errorBatches.flat().length - errorsBefore} reported failed; ` +
          `${requests} requests, ${api.rateLimited - limitedBefore} refused (429); ` +
          `${fmt(accepted / span)} accepted requests/s over the ${fmt(span, 1)} s of requests (limit ${LIMIT})`,
      );
    }
  } finally {
    await api.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
