import { join } from 'node:path';
import { json, tempDir } from './support/kms-cli';
import { runKmsInProcess } from './support/kms-in-process';

/** checkconfig and report describe the set-up without revealing any secret they can see. */
const SECRETS = {
  TATUM_KMS_PASSWORD: 'checkconfig-password-1',
  TATUM_API_KEY: 'api-key-abcdef123456',
  TATUM_KMS_AZURE_CLIENT_SECRET: 'azure-client-secret-9',
  TATUM_KMS_AWS_SECRET_ACCESS_KEY: 'aws-secret-access-key-7',
  TATUM_KMS_NODE_URL_SOL: 'https://node.example/token-abc123',
};

describe('checkconfig and report', () => {
  const { dir, cleanup } = tempDir();
  const path = join(dir, 'wallet.dat');
  const env = { ...SECRETS, HOME: dir };
  afterAll(cleanup);

  it('checkconfig lists every setting, secrets masked', async () => {
    const run = await runKmsInProcess(['checkconfig', '--path', path], { env });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Wallet file path\s*: .*wallet\.dat/);
    expect(run.stdout).toMatch(/TATUM_KMS_AZURE_CLIENT_SECRET\s*: \*+ \(set, 21 characters\)/);
    expect(run.stdout).toMatch(/TATUM_KMS_NODE_URL_SOL\s*: \*+/);
    for (const secret of Object.values(SECRETS)) expect(run.stdout + run.stderr).not.toContain(secret);
  });

  it('report describes each wallet and warns, without secrets', async () => {
    const { signatureId } = json<{ signatureId: string }>(
      await runKmsInProcess(['generatemanagedwallet', 'BTC', '--path', path], { env }),
    );
    const testnetKey = json<{ signatureId: string }>(
      await runKmsInProcess(['generatemanagedprivatekeybatch', 'ETH', '1', '--testnet', '--path', path], {
        env,
      }),
    ).signatureId;
    const exported = json<Record<string, { mnemonic?: string; privateKey?: string }>>(
      await runKmsInProcess(['export', '--path', path], { env }),
    );
    const run = await runKmsInProcess(
      ['report', `${signatureId},${testnetKey},00000000-0000-4000-8000-000000000000`, '--path', path],
      { env },
    );
    const report = json<{
      wallets: Array<{ signatureId: string; type?: string; chain?: string; warnings: string[] }>;
      config: { apiKey: string };
    }>(run);
    expect(report.wallets).toEqual([
      expect.objectContaining({ signatureId, type: 'mnemonic', chain: 'BTC' }),
      expect.objectContaining({
        signatureId: testnetKey,
        type: 'privateKey',
        chain: 'ETH',
        warnings: [expect.stringMatching(/testnet/)],
      }),
      { signatureId: '00000000-0000-4000-8000-000000000000', warnings: ['not found in the wallet store'] },
    ]);
    expect(report.config.apiKey).not.toContain(SECRETS.TATUM_API_KEY);
    const everything = run.stdout + run.stderr;
    for (const secret of Object.values(SECRETS)) expect(everything).not.toContain(secret);
    expect(everything).not.toContain(exported[signatureId].mnemonic);
    expect(everything).not.toContain(exported[testnetKey].privateKey);
  });
});
