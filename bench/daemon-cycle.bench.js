// Daemon benchmark (prints figures, never fails on time):
// one `daemon --runOnce` cycle over 25,000 managed ETH wallets with 1,000 pending transactions served
// by the fake Tatum API on loopback, all approved by a local four-eye server: wall time, CPU time and
// peak RSS of the daemon process; then the same 1,000 transactions signed directly with ethers in a
// loop, and the ratio daemon/raw.
require('./support/register-ts');
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { Wallet } = require('ethers');
const { FakeTatumApi } = require('../test/support/fake-tatum-api');
const { ApprovalServer } = require('../test/support/approval-server');
const { runCli, fmt } = require('./support/run-cli');

const WALLETS = 25_000;
const PENDING = 1_000;
const API_KEY = 'bench-api-key';

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'kms-bench-daemon-'));
  const api = await FakeTatumApi.start({ apiKey: API_KEY });
  const approvals = await ApprovalServer.start();
  const env = { TATUM_KMS_PASSWORD: 'bench-password', HOME: dir, TATUM_API_URL: api.url };
  try {
    const path = join(dir, 'wallets.dat');
    const batch = await runCli(['generatemanagedprivatekeybatch', 'ETH', String(WALLETS), '--path', path], {
      env,
    });
    const wallets = batch.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    const exported = JSON.parse((await runCli(['export', '--path', path], { env })).stdout);
    const txs = wallets.slice(0, PENDING).map((wallet, i) => ({
      id: `bench-${i}`,
      chain: 'ETH',
      hashes: [wallet.signatureId],
      serializedTransaction: JSON.stringify({
        to: wallets[(i + 1) % WALLETS].address,
        value: String(1_000_000 + i),
        nonce: i % 7,
        gasPrice: '20000000000',
        gas: '21000',
      }),
    }));
    api.addPending(txs);

    const serversCpu = process.cpuUsage();
    const daemon = await runCli(
      [
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
      ],
      { env },
    );
    const broadcast = api.broadcasts.length;
    const serversCpuMs = Object.values(process.cpuUsage(serversCpu)).reduce((a, b) => a + b, 0) / 1000;
    console.log(
      `daemon --runOnce, ${WALLETS} ETH wallets, ${PENDING} pending (${broadcast} broadcast): ` +
        `${fmt(daemon.wallMs)} ms wall, ${fmt(daemon.cpuMs)} ms CPU, ${fmt(daemon.maxRssMiB)} MiB peak RSS (target < 3000 ms, < 400 MiB); ` +
        `the fake API and four-eye server used ${fmt(serversCpuMs)} ms CPU meanwhile`,
    );

    const started = process.hrtime.bigint();
    for (const tx of txs) {
      const fields = JSON.parse(tx.serializedTransaction);
      await new Wallet(exported[tx.hashes[0]].privateKey).signTransaction({
        to: fields.to,
        value: BigInt(fields.value),
        nonce: fields.nonce,
        gasPrice: BigInt(fields.gasPrice),
        gasLimit: BigInt(fields.gas),
        chainId: 1,
      });
    }
    const rawMs = Number(process.hrtime.bigint() - started) / 1e6;
    console.log(
      `the same ${PENDING} transactions signed with ethers in a loop: ${fmt(rawMs)} ms; ratio daemon/raw ${fmt(daemon.wallMs / rawMs, 2)} (target < 2.5)`,
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
