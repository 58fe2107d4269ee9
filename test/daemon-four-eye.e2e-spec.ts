import { join } from 'node:path';
import vectors from './fixtures/derivation.json';
import { ApprovalServer, type ApprovalAnswer } from './support/approval-server';
import { FakeTatumApi } from './support/fake-tatum-api';
import { json, tempDir } from './support/kms-cli';
import { runKmsInProcess } from './support/kms-in-process';
import { writeTestWalletFile } from './support/wallet-files';

/**
 * Four-eye principle over 100 pending transactions: the approval server approves some, denies some,
 * answers 500, redirects, or hangs past the timeout; only the approved ones are broadcast.
 */
const PASSWORD = 'four-eye-password';
const API_KEY = 'four-eye-api-key';
const ANSWERS: ApprovalAnswer[] = ['approve', 'deny', 'error', 'redirect', 'hang'];
const answerFor = (id: string): ApprovalAnswer => ANSWERS[Number(id.split('-').pop()) % ANSWERS.length];

describe('daemon with a four-eye server', () => {
  const { dir, cleanup } = tempDir();
  let api: FakeTatumApi;
  let approvals: ApprovalServer;

  beforeAll(async () => {
    api = await FakeTatumApi.start({ apiKey: API_KEY });
    approvals = await ApprovalServer.start(answerFor);
  });
  afterAll(async () => {
    await api.stop();
    await approvals.stop();
    cleanup();
  });

  it('broadcasts only the approved transactions out of 100', async () => {
    const path = join(dir, 'wallet.dat');
    await writeTestWalletFile(path, PASSWORD);
    const env = { TATUM_KMS_PASSWORD: PASSWORD, TATUM_API_URL: api.url, HOME: dir };
    const { signatureId } = json<{ signatureId: string }>(
      await runKmsInProcess(['storemanagedprivatekey', 'ETH', '--path', path], {
        env,
        input: `${vectors.chains.ETH.mainnet.generatePrivateKeyFromMnemonic['0']}\n`,
      }),
    );
    const ids = Array.from({ length: 100 }, (_, i) => `pending-tx-${i}`);
    api.addPending(
      ids.map((id, nonce) => ({
        id,
        chain: 'ETH',
        hashes: [signatureId],
        serializedTransaction: JSON.stringify({
          to: vectors.chains.ETH.mainnet.generateAddressFromXPub['1'],
          value: '1000',
          nonce,
          gasPrice: '20000000000',
          gas: '21000',
        }),
      })),
    );

    const run = await runKmsInProcess(
      [
        'daemon',
        '--runOnce',
        '--path',
        path,
        '--apiKey',
        API_KEY,
        '--externalUrl',
        approvals.url,
        '--chain',
        'ETH',
      ],
      { env, timeoutMs: 120_000 },
    );
    expect(run.code).toBe(0);
    const approved = ids.filter((id) => answerFor(id) === 'approve');
    expect(new Set(approvals.asked)).toEqual(new Set(ids));
    expect(api.broadcasts.map((b) => b.signatureId).sort()).toEqual([...approved].sort());
    expect(api.errorBatches.flat()).toEqual([]);
    expect(run.stdout + run.stderr).toMatch(/Cycle: 100 pending, 20 broadcast, 80 denied, 0 failed/);
  }, 180_000);

  it('refuses to start on mainnet without --externalUrl', async () => {
    const run = await runKmsInProcess(
      ['daemon', '--runOnce', '--path', join(dir, 'wallet.dat'), '--apiKey', API_KEY],
      {
        env: { TATUM_KMS_PASSWORD: PASSWORD, TATUM_API_URL: api.url, HOME: dir },
      },
    );
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/--externalUrl/);
  });

  describe('a plain-http approval server on mainnet', () => {
    const empty = () => join(dir, 'no-wallets.dat');
    const daemon = (externalUrl: string, extra: Record<string, string> = {}) =>
      runKmsInProcess(
        ['daemon', '--runOnce', '--path', empty(), '--apiKey', API_KEY, '--externalUrl', externalUrl],
        {
          env: { TATUM_KMS_PASSWORD: PASSWORD, TATUM_API_URL: api.url, HOME: dir, ...extra },
          timeoutMs: 60_000,
        },
      );

    it('is refused at start (configuration error, JSON on stderr) unless TATUM_KMS_ALLOW_HTTP_APPROVAL=true', async () => {
      const refused = await daemon('http://user:approval-secret@approvals.example.com/kms');
      expect(refused.code).not.toBe(0);
      expect(JSON.parse(refused.stderr)).toEqual({
        error: expect.stringMatching(/^Invalid configuration: --externalUrl must be an https URL on mainnet/),
      });
      expect(refused.stderr).not.toContain('approval-secret');

      const allowed = await daemon('http://user:approval-secret@approvals.example.com/kms', {
        TATUM_KMS_ALLOW_HTTP_APPROVAL: 'true',
      });
      expect(allowed.code).toBe(0);
      expect(allowed.stdout + allowed.stderr).toMatch(
        /four-eye approvals are asked over plain http \(TATUM_KMS_ALLOW_HTTP_APPROVAL=true\)/,
      );
      expect(allowed.stdout + allowed.stderr).toMatch(
        /credentials in --externalUrl are sent over plain http/,
      );
      expect(allowed.stdout + allowed.stderr).not.toContain('approval-secret');
    }, 120_000);

    it('on a loopback address starts with a warning', async () => {
      const run = await daemon(approvals.url);
      expect(run.code).toBe(0);
      expect(run.stdout + run.stderr).toMatch(/plain http on a loopback address/);
    }, 60_000);
  });

  it('POST sends the pending transaction exactly as the API sent it (unknown fields and nulls included)', async () => {
    const path = join(dir, 'post.dat');
    const env = { TATUM_KMS_PASSWORD: PASSWORD, TATUM_API_URL: api.url, HOME: dir };
    const { signatureId } = json<{ signatureId: string }>(
      await runKmsInProcess(['storemanagedprivatekey', 'ETH', '--path', path], {
        env,
        input: `${vectors.chains.ETH.mainnet.generatePrivateKeyFromMnemonic['0']}\n`,
      }),
    );
    const item = {
      id: 'post-raw-1', // answered 'deny': nothing is signed
      chain: 'ETH',
      hashes: [signatureId],
      serializedTransaction: JSON.stringify({
        to: vectors.chains.ETH.mainnet.generateAddressFromXPub['1'],
        value: '1',
        nonce: 0,
      }),
      index: null,
      withdrawalId: null,
      txId: null,
      accountId: '5e68c66581f2ee32bc354087',
      customerId: null,
      transactionType: 'KMS_TRANSFER',
      created: 1710000000000,
      hashesDetail: [{ hash: signatureId, index: 0 }],
    };
    api.addRawPending(item, 'ETH', [signatureId]);
    const run = await runKmsInProcess(
      [
        'daemon',
        '--runOnce',
        '--path',
        path,
        '--apiKey',
        API_KEY,
        '--externalUrl',
        approvals.url,
        '--externalUrlMethod',
        'POST',
        '--chain',
        'ETH',
        '--transactionIds',
        item.id,
      ],
      { env, timeoutMs: 60_000 },
    );
    expect(run.code).toBe(0);
    expect(JSON.parse(approvals.bodies.get(item.id)!)).toEqual(item);
  }, 120_000);
});
