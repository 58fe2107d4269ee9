// Replicas benchmark (prints figures, never fails on time): 1,000 pending ETH transfers (each from its
// own wallet, nonce and gas price from anvil) signed by daemons of one wallet store sharing one
// PostgreSQL journal: 1 replica alone, then 3 replicas, then 3 replicas with the busiest SIGKILLed once
// a fifth was broadcast (its claims are taken over when their 10 s lease ends). Wall time from start to
// the last broadcast; each run on a fresh journal database, and each checked exactly-once (every id
// broadcast, one distinct signed transaction per id, every sender's nonce up by one).
// The built executable (`npm run build`), anvil and PostgreSQL (initdb, or TATUM_KMS_TEST_PG_URL).
// `node bench/daemon-replicas.bench.js [pending]` (default 1000).
require('./support/register-ts');
const { keccak256 } = require('ethers');
const { join } = require('node:path');
const { Anvil } = require('../test/support/anvil');
const { DaemonReplicas, waitFor } = require('../test/support/daemon-replicas');
const { FakeTatumApi } = require('../test/support/fake-tatum-api');
const { runKms, tempDir } = require('../test/support/kms-cli');
const { TestPostgres } = require('../test/support/postgres');
const { writeTestWalletFile } = require('../test/support/wallet-files');

const PENDING = Number(process.argv[2] ?? 1_000);
const PASSWORD = 'bench-replicas-password';
const API_KEY = 'bench-replicas-api-key';
const RUN_TIMEOUT_MS = 10 * 60_000;

async function main() {
  const { dir, cleanup } = tempDir('kms-bench-replicas-');
  const path = join(dir, 'wallets.dat');
  const [api, anvil, postgres] = await Promise.all([
    FakeTatumApi.start({ apiKey: API_KEY }),
    Anvil.start({ chainId: 11155111 }),
    TestPostgres.start(),
  ]);
  try {
    api.forwardNonces((_path, address) => anvil.nonce(address));
    api.onRpc('ETH', (method, params) => anvil.rpc(method, params));
    api.setFee({ slow: '1000000000', medium: '2000000000', fast: '3000000000' });
    api.forwardBroadcasts('ETH', (txData) => anvil.sendRawTransaction(txData));
    await writeTestWalletFile(path, PASSWORD);
    const batch = await runKms(
      ['generatemanagedprivatekeybatch', 'ETH', String(PENDING), '--testnet', '--path', path],
      {
        env: { TATUM_KMS_PASSWORD: PASSWORD, HOME: dir },
        timeoutMs: 300_000,
      },
    );
    if (batch.code !== 0) throw new Error(`generatemanagedprivatekeybatch failed: ${batch.stderr}`);
    const wallets = batch.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    for (const wallet of wallets) await anvil.setBalance(wallet.address, 10n ** 18n);

    const scenario = async (prefix, replicas, killOne) => {
      const journal = await postgres.createDatabase();
      const noncesBefore = await Promise.all(wallets.map((wallet) => anvil.nonce(wallet.address)));
      const broadcastsBefore = api.broadcasts.length;
      api.addPending(
        wallets.map((wallet, i) => ({
          id: `${prefix}-${i}`,
          chain: 'ETH',
          hashes: [wallet.signatureId],
          index: 0,
          serializedTransaction: JSON.stringify({
            to: wallets[(i + 1) % PENDING].address,
            value: String(1_000 + i),
          }),
        })),
      );
      const ours = () =>
        api.broadcasts.slice(broadcastsBefore).filter((b) => b.signatureId?.startsWith(`${prefix}-`));
      const broadcastIds = () => new Set(ours().map((b) => b.signatureId));
      const started = Date.now();
      const daemons = DaemonReplicas.start(
        replicas,
        ['--testnet', '--chain', 'ETH', '--path', path, '--apiKey', API_KEY, '--period', '1'],
        {
          env: {
            TATUM_KMS_PASSWORD: PASSWORD,
            TATUM_API_URL: api.url,
            HOME: dir,
            TATUM_KMS_JOURNAL: journal,
            TATUM_KMS_JOURNAL_LEASE_SECONDS: '10',
          },
          timeoutMs: 2 * RUN_TIMEOUT_MS,
        },
      );
      let done;
      try {
        if (killOne && (await waitFor(() => broadcastIds().size >= PENDING / 5, RUN_TIMEOUT_MS)))
          daemons.kill(daemons.busiest(new RegExp(`${prefix}-\\d+`)));
        done = await waitFor(() => broadcastIds().size === PENDING, RUN_TIMEOUT_MS);
      } finally {
        await daemons.stop();
      }
      const wallMs = Date.now() - started;
      const signedPerId = new Map();
      for (const { signatureId, txData } of ours())
        signedPerId.set(signatureId, (signedPerId.get(signatureId) ?? new Set()).add(txData));
      const resigned = [...signedPerId.values()].filter((set) => set.size !== 1).length;
      const receipts = await Promise.all(
        [...signedPerId.values()].map(async (set) => (await anvil.receipt(keccak256([...set][0]))).status),
      );
      const noncesAfter = await Promise.all(wallets.map((wallet) => anvil.nonce(wallet.address)));
      const nonceErrors = noncesAfter.filter((nonce, i) => nonce !== noncesBefore[i] + 1).length;
      if (
        !done ||
        signedPerId.size !== PENDING ||
        resigned ||
        nonceErrors ||
        receipts.some((s) => s !== '0x1')
      )
        throw new Error(
          `${prefix}: not exactly once (broadcast ${signedPerId.size}/${PENDING}, re-signed ${resigned}, wrong nonces ${nonceErrors})`,
        );
      return wallMs;
    };

    const one = await scenario('single', 1, false);
    const three = await scenario('three', 3, false);
    const killed = await scenario('killed', 3, true);
    console.log(`${PENDING} ETH transfers on anvil, PostgreSQL journal, each broadcast exactly once:`);
    console.log(`  1 replica                        ${one} ms`);
    console.log(`  3 replicas                       ${three} ms (${(three / one).toFixed(2)}x)`);
    console.log(`  3 replicas, one SIGKILLed        ${killed} ms (${(killed / one).toFixed(2)}x)`);
  } finally {
    await Promise.all([api.stop(), anvil.stop(), postgres.stop()]);
    cleanup();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
