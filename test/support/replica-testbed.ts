import { keccak256 } from 'ethers';
import { join } from 'node:path';
import { Anvil } from './anvil';
import { DaemonReplicas, waitFor } from './daemon-replicas';
import { FakeTatumApi } from './fake-tatum-api';
import { runKms, tempDir } from './kms-cli';
import { TestPostgres } from './postgres';
import { writeTestWalletFile } from './wallet-files';

const PASSWORD = 'replicas-password';
const API_KEY = 'replicas-api-key';
const ETH_TESTNET_CHAIN_ID = 11155111;
/** The replicas' claim lease: a killed replica's unsigned claims are taken over within seconds. */
const LEASE_SECONDS = '10';

/** What one run of replicas did, as the API and the chain saw it (the caller judges it). */
export interface ReplicaRun {
  /** Every pending id was broadcast before the timeout. */
  done: boolean;
  /** When `killOne`: a fifth was broadcast and the busiest replica was SIGKILLed then. */
  killed: boolean;
  /** From the daemons' start to the last broadcast (or the timeout). */
  wallMs: number;
  /** The distinct signed transactions broadcast for each pending id. */
  signedPerId: Map<string, Set<string>>;
  /** Ids whose broadcast transaction is not mined with status 1. */
  unmined: string[];
  /** Senders whose nonce did not go up by exactly one. */
  wrongNonces: string[];
}

/**
 * `pending` ETH wallets (one wallet file at the test KDF cost) funded on anvil, the fake Tatum API
 * forwarding nonces, RPC and broadcasts to anvil, and a PostgreSQL server: `run()` parks one transfer
 * per wallet and lets `replicas` daemons (the built executable) sign them on a fresh journal database.
 * Shared by the replicas e2e spec (exactly once under a SIGKILL) and bench/daemon-replicas.bench.js.
 */
export class ReplicaTestbed {
  private constructor(
    private readonly api: FakeTatumApi,
    private readonly anvil: Anvil,
    private readonly postgres: TestPostgres,
    private readonly folder: { dir: string; cleanup: () => void },
    private readonly path: string,
    private readonly wallets: Array<{ signatureId: string; address: string }>,
  ) {}

  static async start(pending: number): Promise<ReplicaTestbed> {
    const folder = tempDir('kms-replicas-');
    const [api, anvil, postgres] = await Promise.all([
      FakeTatumApi.start({ apiKey: API_KEY }),
      Anvil.start({ chainId: ETH_TESTNET_CHAIN_ID }),
      TestPostgres.start(),
    ]);
    const path = join(folder.dir, 'wallets.dat');
    const bed = new ReplicaTestbed(api, anvil, postgres, folder, path, []);
    try {
      api.forwardNonces((_path, address) => anvil.nonce(address));
      api.onRpc('ETH', (method, params) => anvil.rpc(method, params as unknown[]));
      api.setFee({ slow: '1000000000', medium: '2000000000', fast: '3000000000' });
      api.forwardBroadcasts('ETH', (txData) => anvil.sendRawTransaction(txData));
      await writeTestWalletFile(path, PASSWORD);
      const batch = await runKms(
        ['generatemanagedprivatekeybatch', 'ETH', String(pending), '--testnet', '--path', path],
        { env: { TATUM_KMS_PASSWORD: PASSWORD, HOME: folder.dir }, timeoutMs: 300_000 },
      );
      if (batch.code !== 0) throw new Error(`generatemanagedprivatekeybatch failed: ${batch.stderr}`);
      for (const line of batch.stdout.trim().split('\n'))
        bed.wallets.push(JSON.parse(line) as { signatureId: string; address: string });
      for (const wallet of bed.wallets) await anvil.setBalance(wallet.address, 10n ** 18n);
      return bed;
    } catch (error) {
      await bed.stop();
      throw error;
    }
  }

  /**
   * Parks one transfer per wallet under ids `${prefix}-${i}`, runs `replicas` daemons on a fresh
   * journal database until every id was broadcast or `timeoutMs` passed (SIGKILLing the busiest
   * replica once a fifth was, when `killOne`), stops them, and reads what the API and anvil hold.
   */
  async run(prefix: string, replicas: number, killOne: boolean, timeoutMs: number): Promise<ReplicaRun> {
    const { api, anvil, wallets } = this;
    const journal = await this.postgres.createDatabase();
    const noncesBefore = await Promise.all(wallets.map((wallet) => anvil.nonce(wallet.address)));
    const broadcastsBefore = api.broadcasts.length;
    api.addPending(
      wallets.map((wallet, i) => ({
        id: `${prefix}-${i}`,
        chain: 'ETH',
        hashes: [wallet.signatureId],
        index: 0,
        serializedTransaction: JSON.stringify({
          to: wallets[(i + 1) % wallets.length].address,
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
      ['--testnet', '--chain', 'ETH', '--path', this.path, '--apiKey', API_KEY, '--period', '1'],
      {
        env: {
          TATUM_KMS_PASSWORD: PASSWORD,
          TATUM_API_URL: api.url,
          HOME: this.folder.dir,
          TATUM_KMS_JOURNAL: journal,
          TATUM_KMS_JOURNAL_LEASE_SECONDS: LEASE_SECONDS,
        },
        timeoutMs: 2 * timeoutMs,
      },
    );
    let done = false;
    let killed = false;
    try {
      if (killOne && (await waitFor(() => broadcastIds().size >= wallets.length / 5, timeoutMs))) {
        // the replica signing the most (with whole-batch claims: the only one) dies
        daemons.kill(daemons.busiest(new RegExp(`${prefix}-\\d+`)));
        killed = true;
      }
      done = await waitFor(() => broadcastIds().size === wallets.length, timeoutMs);
    } finally {
      await daemons.stop();
    }
    const wallMs = Date.now() - started;

    const signedPerId = new Map<string, Set<string>>();
    for (const { signatureId, txData } of ours()) {
      signedPerId.set(signatureId!, (signedPerId.get(signatureId!) ?? new Set<string>()).add(txData));
    }
    const unmined: string[] = [];
    for (const [id, set] of signedPerId) {
      if ((await anvil.receipt(keccak256([...set][0]))).status !== '0x1') unmined.push(id);
    }
    const noncesAfter = await Promise.all(wallets.map((wallet) => anvil.nonce(wallet.address)));
    const wrongNonces = wallets
      .filter((_, i) => noncesAfter[i] !== noncesBefore[i] + 1)
      .map((wallet) => wallet.address);
    return { done, killed, wallMs, signedPerId, unmined, wrongNonces };
  }

  async stop(): Promise<void> {
    await Promise.all([this.api.stop(), this.anvil.stop(), this.postgres.stop()]);
    this.folder.cleanup();
  }
}
