// Replicas benchmark (prints figures, never fails on time): 1,000 pending ETH transfers (each from its
// own wallet, nonce and gas price from anvil) signed by daemons of one wallet store sharing one
// PostgreSQL journal: 1 replica alone, then 3 replicas, then 3 replicas with the busiest SIGKILLed once
// a fifth was broadcast (its claims are taken over when their 10 s lease ends). Wall time from start to
// the last broadcast; each run on a fresh journal database (test/support/replica-testbed.ts, as the
// e2e spec), and each checked exactly-once (every id broadcast, one distinct signed transaction per id,
// mined, every sender's nonce up by one). Needs the built executable (`npm run build`), anvil and
// PostgreSQL (initdb, or TATUM_KMS_TEST_PG_URL).
// `node bench/daemon-replicas.bench.js [pending]` (default 1000).
require('./support/register-ts');
const { ReplicaTestbed } = require('../test/support/replica-testbed');

const PENDING = Number(process.argv[2] ?? 1_000);
const RUN_TIMEOUT_MS = 10 * 60_000;

async function main() {
  const bed = await ReplicaTestbed.start(PENDING);
  try {
    const timed = async (prefix, replicas, killOne) => {
      const run = await bed.run(prefix, replicas, killOne, RUN_TIMEOUT_MS);
      const resigned = [...run.signedPerId.values()].filter((set) => set.size !== 1).length;
      if (
        !run.done ||
        (killOne && !run.killed) ||
        run.signedPerId.size !== PENDING ||
        resigned ||
        run.unmined.length ||
        run.wrongNonces.length
      )
        throw new Error(
          `${prefix}: not exactly once (broadcast ${run.signedPerId.size}/${PENDING}, re-signed ${resigned}, unmined ${run.unmined.length}, wrong nonces ${run.wrongNonces.length})`,
        );
      return run.wallMs;
    };
    const one = await timed('single', 1, false);
    const three = await timed('three', 3, false);
    const killed = await timed('killed', 3, true);
    console.log(`${PENDING} ETH transfers on anvil, PostgreSQL journal, each broadcast exactly once:`);
    console.log(`  1 replica                        ${one} ms`);
    console.log(`  3 replicas                       ${three} ms (${(three / one).toFixed(2)}x)`);
    console.log(`  3 replicas, one SIGKILLed        ${killed} ms (${(killed / one).toFixed(2)}x)`);
  } finally {
    await bed.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
