// A journal client for crash specs, run as its own process so that it can be SIGKILLed mid-transaction:
// `node test/support/journal-pg-replica.js <replica> <ids> [start]` with the connection string in
// TATUM_KMS_JOURNAL. Walks `crash-0` .. `crash-<ids-1>` (from `crash-<start>` on, wrapping) in batches of 20 as the daemon would (claim,
// record the signed transaction of each fresh claim, record it broadcast), again and again until
// killed, printing `batch <n>` after each committed batch.
require('../../bench/support/register-ts');
const { createHash } = require('node:crypto');
const { PostgresJournal } = require('../../libs/journal/src/postgres/postgres-journal');

const [replica, count, start = '0'] = process.argv.slice(2);
const sha = (text) => createHash('sha256').update(text).digest('hex');

async function main() {
  const journal = await PostgresJournal.open(process.env.TATUM_KMS_JOURNAL, { poolSize: 2 });
  const all = Array.from({ length: Number(count) }, (_, i) => `crash-${i}`);
  const ids = [...all.slice(Number(start)), ...all.slice(0, Number(start))];
  for (let batchNo = 0; ;) {
    for (let i = 0; i < ids.length; i += 20) {
      const batch = ids.slice(i, i + 20);
      const answers = await journal.claimMany(
        batch.map((pendingId) => ({ pendingId, chain: 'ETH', payloadHash: sha(pendingId) })),
        replica,
        60_000,
      );
      const fresh = batch.filter((_, index) => answers[index].kind === 'fresh');
      if (fresh.length > 0) {
        await journal.recordSignedMany(
          fresh.map((pendingId) => ({
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
          fresh.map((pendingId) => ({ pendingId, chain: 'ETH', outcome: 'broadcast', replica })),
        );
      }
      process.stdout.write(`batch ${++batchNo}\n`);
    }
  }
}

main().catch((error) => {
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
});
