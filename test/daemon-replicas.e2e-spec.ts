import { keccak256 } from 'ethers';
import { join } from 'node:path';
import { Anvil } from './support/anvil';
import { DaemonReplicas, waitFor } from './support/daemon-replicas';
import { FakeTatumApi } from './support/fake-tatum-api';
import { runKms, tempDir } from './support/kms-cli';
import { TestPostgres } from './support/postgres';
import { writeTestWalletFile } from './support/wallet-files';

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
const LEASE_ENV: Record<string, string> = { TATUM_KMS_JOURNAL_LEASE_SECONDS: '10' };
const PASSWORD = 'replicas-password';
const API_KEY = 'replicas-api-key';
const ETH_TESTNET_CHAIN_ID = 11155111;
const PENDING = 1_000;
const RUN_TIMEOUT_MS = 10 * 60_000;

describe('several daemons on one PostgreSQL journal', () => {
  const { dir, cleanup } = tempDir('kms-replicas-');
  const path = join(dir, 'wallets.dat');
  let api: FakeTatumApi;
  let anvil: Anvil;
  let postgres: TestPostgres;
  let wallets: Array<{ signatureId: string; address: string }>;

  beforeAll(async () => {
    [api, anvil, postgres] = await Promise.all([
      FakeTatumApi.start({ apiKey: API_KEY }),
      Anvil.start({ chainId: ETH_TESTNET_CHAIN_ID }),
      TestPostgres.start(),
    ]);
    api.forwardNonces((_path, address) => anvil.nonce(address));
    api.onRpc('ETH', (method, params) => anvil.rpc(method, params as unknown[]));
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
    wallets = batch.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { signatureId: string; address: string });
    for (const wallet of wallets) await anvil.setBalance(wallet.address, 10n ** 18n);
  }, 600_000);

  afterAll(async () => {
    await Promise.all([api?.stop(), anvil?.stop(), postgres?.stop()]);
    cleanup();
  }, 120_000);

  /**
   * Parks one transfer per wallet under ids `${prefix}-${i}`, runs `replicas` daemons on a fresh
   * journal database until every id was broadcast (SIGKILLing the busiest replica once a fifth
   * was, when `killOne`), and checks exactly-once on the API's records and on the chain. The wall time.
   */
  async function scenario(prefix: string, replicas: number, killOne: boolean): Promise<number> {
    const journal = await postgres.createDatabase();
    const noncesBefore = await Promise.all(wallets.map((wallet) => anvil.nonce(wallet.address)));
    const broadcastsBefore = api.broadcasts.length;
    const ids = wallets.map((_, i) => `${prefix}-${i}`);
    api.addPending(
      wallets.map((wallet, i) => ({
        id: ids[i],
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
          ...LEASE_ENV,
        },
        timeoutMs: 2 * RUN_TIMEOUT_MS,
      },
    );
    let done = false;
    try {
      if (killOne) {
        expect(await waitFor(() => broadcastIds().size >= PENDING / 5, RUN_TIMEOUT_MS)).toBe(true);
        // the replica signing the most (with whole-batch claims: the only one) dies
        const victim = daemons.busiest(new RegExp(`${prefix}-\\d+`));
        daemons.kill(victim);
      }
      done = await waitFor(() => broadcastIds().size === PENDING, RUN_TIMEOUT_MS);
    } finally {
      await daemons.stop();
    }
    const wallMs = Date.now() - started;
    expect(done).toBe(true);

    // the API: every id broadcast, and all its broadcasts carry the same signed bytes
    const signedPerId = new Map<string, Set<string>>();
    for (const broadcast of ours()) {
      const set = signedPerId.get(broadcast.signatureId!) ?? new Set<string>();
      set.add(broadcast.txData);
      signedPerId.set(broadcast.signatureId!, set);
    }
    expect(signedPerId.size).toBe(PENDING);
    expect([...signedPerId.values()].filter((set) => set.size !== 1)).toEqual([]);
    // the chain: every broadcast transaction mined, and each sender sent exactly one (its nonce +1)
    for (const [, set] of signedPerId) {
      const [txData] = [...set];
      expect((await anvil.receipt(keccak256(txData))).status).toBe('0x1');
    }
    const noncesAfter = await Promise.all(wallets.map((wallet) => anvil.nonce(wallet.address)));
    expect(noncesAfter.filter((nonce, i) => nonce !== noncesBefore[i] + 1)).toEqual([]);
    return wallMs;
  }

  it(
    'three replicas, one SIGKILLed mid-cycle: all 1,000 broadcast once',
    async () => {
      const wallMs = await scenario('replicas', 3, true);
      console.log(`daemon-replicas: ${PENDING} ETH transfers, 3 replicas (one killed): ${wallMs} ms`);
    },
    2 * RUN_TIMEOUT_MS,
  );
});
