import { ReplicaTestbed } from './support/replica-testbed';

/**
 * Several daemons on one PostgreSQL journal (TATUM_KMS_JOURNAL=postgres://...), against anvil: 1,000
 * pending ETH transfers, each from its own wallet, nonce and gas price filled from the node. Three
 * replicas of the same store and database, one SIGKILLed mid-cycle: every id is broadcast, each with
 * exactly one distinct signed transaction, and the chain holds exactly one transaction per sender (its
 * nonce went up by one). The wall time against one replica alone is bench/daemon-replicas.bench.js.
 *
 * The replicas claim pending ids a chunk at a time with a 10 s lease (TATUM_KMS_JOURNAL_LEASE_SECONDS),
 * so the killed replica's unsigned claims are taken over by the others within seconds.
 */
const PENDING = 1_000;
const RUN_TIMEOUT_MS = 10 * 60_000;

describe('several daemons on one PostgreSQL journal', () => {
  let bed: ReplicaTestbed;

  beforeAll(async () => {
    bed = await ReplicaTestbed.start(PENDING);
  }, 600_000);
  afterAll(async () => {
    await bed?.stop();
  }, 120_000);

  it(
    'three replicas, one SIGKILLed mid-cycle: all 1,000 broadcast once',
    async () => {
      const run = await bed.run('replicas', 3, true, RUN_TIMEOUT_MS);
      expect({ killed: run.killed, done: run.done }).toEqual({ killed: true, done: true });
      // the API: every id broadcast, and all its broadcasts carry the same signed bytes
      expect(run.signedPerId.size).toBe(PENDING);
      expect([...run.signedPerId].filter(([, set]) => set.size !== 1).map(([id]) => id)).toEqual([]);
      // the chain: every broadcast transaction mined, and each sender sent exactly one (its nonce +1)
      expect(run.unmined).toEqual([]);
      expect(run.wrongNonces).toEqual([]);
      console.log(`daemon-replicas: ${PENDING} ETH transfers, 3 replicas (one killed): ${run.wallMs} ms`);
    },
    2 * RUN_TIMEOUT_MS,
  );
});
