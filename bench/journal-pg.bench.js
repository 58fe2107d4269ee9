// PostgreSQL journal benchmark (prints figures, never fails on time): 1,000 pending ids taken through
// the journal as the daemon does (claim in batches of 50, record the signed transaction of each fresh
// claim, record its outcome), by 1 client, then by 3 clients (3 pools: 3 replicas) racing over the
// same 1,000 ids. Wall time until every id is recorded as broadcast, transactions per second, and how
// the ids were shared. A throwaway PostgreSQL server (test/support/postgres.ts: initdb/pg_ctl, fsync
// on) or TATUM_KMS_TEST_PG_URL; each run on a fresh database.
// `node bench/journal-pg.bench.js [ids]` (default 1000).
require('./support/register-ts');
const { createHash } = require('node:crypto');
const { TestPostgres } = require('../test/support/postgres');
const { PostgresJournal } = require('../libs/journal/src/postgres/postgres-journal');
const { fmt } = require('./support/run-cli');

const IDS = Number(process.argv[2] ?? 1_000);
const BATCH = 50;
const LEASE_MS = 60_000;
const sha = (text) => createHash('sha256').update(text).digest('hex');

/** One replica's cycle over every id: claim, sign (a hash stands in), record, outcome. */
async function replicaCycle(journal, replica, ids) {
  let fresh = 0;
  for (let i = 0; i < ids.length; i += BATCH) {
    const batch = ids.slice(i, i + BATCH);
    const claims = batch.map((pendingId) => ({ pendingId, chain: 'ETH', payloadHash: sha(pendingId) }));
    const answers = await journal.claimMany(claims, replica, LEASE_MS);
    const mine = batch.filter((_, index) => answers[index].kind === 'fresh');
    fresh += mine.length;
    if (mine.length === 0) continue;
    await journal.recordSignedMany(
      mine.map((pendingId) => ({
        pendingId,
        chain: 'ETH',
        payloadHash: sha(pendingId),
        sealedTx: `sealed:${replica}:${pendingId}`,
        signedTxHash: sha(`${replica}:${pendingId}`),
        submittedOnChain: false,
        replica,
      })),
    );
    await journal.recordOutcomeMany(
      mine.map((pendingId) => ({
        pendingId,
        chain: 'ETH',
        outcome: 'broadcast',
        txId: `0x${pendingId}`,
        replica,
      })),
    );
  }
  return fresh;
}

async function run(server, replicas, label = '') {
  const url = await server.createDatabase();
  const journals = await Promise.all(Array.from({ length: replicas }, () => PostgresJournal.open(url)));
  const ids = Array.from({ length: IDS }, (_, i) => `bench-${i}`);
  try {
    const started = process.hrtime.bigint();
    // each replica walks the list from its own offset, as replicas started at different moments would
    const shares = await Promise.all(
      journals.map((journal, r) => {
        const offset = Math.floor((r * IDS) / replicas);
        return replicaCycle(journal, `replica-${r}`, [...ids.slice(offset), ...ids.slice(0, offset)]);
      }),
    );
    const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
    const verdict = await journals[0].verify();
    const total = shares.reduce((a, b) => a + b, 0);
    if (total !== IDS || !verdict.ok) throw new Error(`expected ${IDS} fresh claims and a valid chain`);
    console.log(
      `journal-pg: ${label}${IDS} ids, ${replicas} client(s): ${fmt(wallMs)} ms wall, ${fmt((IDS * 1000) / wallMs)} ids/s, ` +
        `fresh per client ${shares.join('/')}, ${verdict.entries} entries, chain ok`,
    );
    return wallMs;
  } finally {
    await Promise.all(journals.map((journal) => journal.close()));
  }
}

async function main() {
  if (!TestPostgres.available()) {
    console.log(
      'journal-pg: skipped, PostgreSQL is not installed (apt-get install -y postgresql) and TATUM_KMS_TEST_PG_URL is not set',
    );
    return;
  }
  const server = await TestPostgres.start();
  try {
    await run(server, 1, '(warm-up) '); // (connections, plans, the server's caches)
    const one = await run(server, 1);
    const three = await run(server, 3);
    console.log(`journal-pg: 3 clients vs 1: ${fmt(three / one, 2)}x the wall time`);
  } finally {
    await server.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
