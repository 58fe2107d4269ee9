import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import vectors from './fixtures/derivation.json';
import { FakeTatumApi } from './support/fake-tatum-api';
import { json, tempDir } from './support/kms-cli';
import { runKmsInProcess } from './support/kms-in-process';
import { usePostgresDatabase } from './support/postgres';
import { writeTestWalletFile } from './support/wallet-files';

/**
 * The local signing policy decides in the daemon, on what the chain decodes from the payload it
 * signs: an allow-list, a per-transaction cap, a rolling cap per wallet that holds across a restart
 * (counted from the signing journal), and default deny; every decision names its rule in the log and
 * in the signing journal. Mainnet, no approval server: the policy alone decides.
 */
const PASSWORD = 'daemon-policy-password';
const API_KEY = 'daemon-policy-api-key';
const FRIEND = vectors.chains.ETH.mainnet.generateAddressFromXPub['1'];
const STRANGER = '0x1111111111111111111111111111111111111111';
const ETHER = 10n ** 18n;

function policyDaemonSpec(journal: 'embedded' | 'postgres') {
  describe(`daemon with a local signing policy (${journal} journal)`, () => {
    const { dir, cleanup } = tempDir();
    const path = join(dir, 'wallet.dat');
    const policyFile = join(dir, 'policy.yaml');
    let api: FakeTatumApi;
    let signatureId: string;
    let nonce = 0;
    const pg = journal === 'postgres' ? usePostgresDatabase() : undefined;
    const env = () => ({
      TATUM_KMS_PASSWORD: PASSWORD,
      TATUM_API_URL: api.url,
      HOME: dir,
      ...(pg ? { TATUM_KMS_JOURNAL: pg.url() } : {}),
    });
    const daemon = () =>
      runKmsInProcess(
        [
          'daemon',
          '--runOnce',
          '--chain',
          'ETH',
          '--path',
          path,
          '--apiKey',
          API_KEY,
          '--policy',
          policyFile,
        ],
        {
          env: env(),
          timeoutMs: 90_000,
        },
      );
    const pay = (id: string, to: string, wei: bigint) => ({
      id,
      chain: 'ETH',
      hashes: [signatureId],
      serializedTransaction: JSON.stringify({
        to,
        value: wei.toString(),
        nonce: nonce++,
        gasPrice: '1000000000',
        gas: '21000',
      }),
    });
    const broadcastIds = () => api.broadcasts.map((broadcast) => broadcast.signatureId);

    beforeAll(async () => {
      api = await FakeTatumApi.start({ apiKey: API_KEY });
      await writeTestWalletFile(path, PASSWORD);
      signatureId = json<{ signatureId: string }>(
        await runKmsInProcess(['storemanagedprivatekey', 'ETH', '--path', path], {
          env: env(),
          input: `${vectors.chains.ETH.mainnet.generatePrivateKeyFromMnemonic['0']}\n`,
        }),
      ).signatureId;
      writeFileSync(
        policyFile,
        [
          'rules:',
          '  - name: friend-daily',
          '    chains: [ETH]',
          `    to: ["${FRIEND}"]`,
          '    asset: ETH',
          `    maxAmount: "${ETHER}"`,
          `    window: { period: 24h, per: wallet, maxAmount: "${(ETHER * 3n) / 2n}" }`,
          '    action: allow',
          '',
        ].join('\n'),
      );
    }, 60_000);
    afterAll(async () => {
      await api.stop();
      cleanup();
    });

    it('allow-list, per-transaction cap and default deny, each named by its rule', async () => {
      api.addPending([
        pay('to-friend', FRIEND, ETHER / 2n),
        pay('to-stranger', STRANGER, 1n),
        pay('too-large', FRIEND, ETHER + 1n),
      ]);
      const run = await daemon();
      const log = run.stdout + run.stderr;
      expect(broadcastIds()).toEqual(['to-friend']);
      expect(log).toMatch(
        /Not signing ETH transaction to-stranger: policy: no rule of the policy allows it \(default deny\)/,
      );
      expect(log).toMatch(/Not signing ETH transaction too-large: policy: no rule of the policy allows it/);
      expect(log).not.toContain(PASSWORD);
      const denied = await runKmsInProcess(['journal', 'list', '--outcome', 'denied', '--path', path], {
        env: env(),
      });
      const reasons = denied.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { pendingId: string; reason: string });
      expect(reasons.map((entry) => entry.pendingId).sort()).toEqual(['to-stranger', 'too-large']);
      for (const entry of reasons) expect(entry.reason).toMatch(/^policy: no rule of the policy allows it/);
    }, 120_000);

    it('the rolling cap per wallet holds across a restart (another replica)', async () => {
      api.clearPending();
      api.addPending([pay('second-half', FRIEND, ETHER / 2n)]);
      await daemon(); // 0.5 + 0.5 = 1 ETH of 1.5 in the window: signed
      expect(broadcastIds()).toEqual(['to-friend', 'second-half']);
      api.clearPending();
      api.addPending([pay('over-the-day', FRIEND, ETHER / 2n + 1n)]);
      const run = await daemon(); // a new process: 1 ETH already signed today, 0.5 ETH + 1 wei is too much
      expect(broadcastIds()).toEqual(['to-friend', 'second-half']);
      expect(run.stdout + run.stderr).toMatch(/Not signing ETH transaction over-the-day: policy: /);
    }, 180_000);
  });
}

policyDaemonSpec('embedded');
// two daemon processes in turn on one database: two replicas, one rolling window
policyDaemonSpec('postgres');
