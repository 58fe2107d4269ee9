import { join } from 'node:path';
import signing from './fixtures/signing.json';
import { ApprovalServer } from './support/approval-server';
import { FakeTatumApi } from './support/fake-tatum-api';
import { json, tempDir } from './support/kms-cli';
import { runKmsInProcess } from './support/kms-in-process';
import { writeTestWalletFile } from './support/wallet-files';

/**
 * Every vector of test/fixtures/signing.json (produced by Tatum's SDK) that this KMS signs: the daemon (`--runOnce`) pulls
 * the pending transaction from the fake Tatum API, asks the four-eye server, signs, and broadcasts
 * exactly `expectedTxData`. The wallet is the vector mnemonic stored through the CLI; the vector's
 * signatureId is replaced by the one our store assigned.
 */
const PASSWORD = 'daemon-vectors-password';
const API_KEY = 'test-api-key-0123456789';
const VECTOR_WALLET_ID = '4f3c9b6e-2a51-4d8e-9f3b-1c2d3e4f5a6b';
type Vector = (typeof signing.vectors)[number];

const byChain = new Map<string, Vector[]>();
for (const vector of signing.vectors)
  byChain.set(vector.chain, [...(byChain.get(vector.chain) ?? []), vector]);

describe('daemon --runOnce reproduces the signing vectors', () => {
  const { dir, cleanup } = tempDir();
  let api: FakeTatumApi;
  let approvals: ApprovalServer;
  const stderrs: string[] = [];

  beforeAll(async () => {
    api = await FakeTatumApi.start({ apiKey: API_KEY });
    approvals = await ApprovalServer.start();
  });
  afterAll(async () => {
    await api.stop();
    await approvals.stop();
    cleanup();
  });

  it.each([...byChain.keys()])(
    '%s',
    async (chain) => {
      const vectors = byChain.get(chain)!;
      const path = join(dir, `${chain}.dat`);
      await writeTestWalletFile(path, PASSWORD);
      const env = { TATUM_KMS_PASSWORD: PASSWORD, TATUM_API_URL: api.url, HOME: dir };
      const { signatureId } = json<{ signatureId: string }>(
        await runKmsInProcess(['storemanagedwallet', chain, '--path', path], {
          env,
          input: `${signing.mnemonic}\n`,
        }),
      );
      api.addPending(
        vectors.map((v) => JSON.parse(JSON.stringify(v.pendingTx).replaceAll(VECTOR_WALLET_ID, signatureId))),
      );

      const run = await runKmsInProcess(
        [
          'daemon',
          '--runOnce',
          '--chain',
          chain,
          '--path',
          path,
          '--apiKey',
          API_KEY,
          '--externalUrl',
          approvals.url,
        ],
        { env, timeoutMs: 120_000 },
      );
      stderrs.push(run.stdout, run.stderr);
      expect(run.code).toBe(0);
      for (const vector of vectors) {
        const sent = api.broadcasts.filter((b) => b.signatureId === vector.pendingTx.id);
        expect(sent.map((b) => b.txData)).toEqual([vector.expectedTxData]);
        expect(approvals.asked).toContain(vector.pendingTx.id);
      }
    },
    180_000,
  );

  it('logs no secret', () => {
    const all = stderrs.join('\n');
    for (const secret of [signing.mnemonic, PASSWORD, API_KEY]) expect(all).not.toContain(secret);
    for (const vector of signing.vectors)
      for (const key of vector.privateKeys) expect(all).not.toContain(key);
  });
});
