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
    expect(run.stdout).toMatch(/TATUM_KMS_AZURE_CLIENT_SECRET\s*: \*+ \(set\)$/m);
    expect(run.stdout).toMatch(/TATUM_KMS_NODE_URL_SOL\s*: \*+/);
    for (const secret of Object.values(SECRETS)) expect(run.stdout + run.stderr).not.toContain(secret);
  }, 60_000);

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
    // tatum-kms's shape: wallets by signatureId, set-up problems in `warnings`
    const report = json<{
      system: { kmsVersion: string; nodeVersion: string; store: { type: string; exists: boolean } };
      wallets: Record<string, { type: string; chain: string; testnet: boolean; warnings?: string[] }>;
      apiKey: string;
      warnings?: string[];
    }>(run);
    expect(report.system).toMatchObject({
      kmsVersion: expect.stringMatching(/^\d+\.\d+\.\d+$/),
      nodeVersion: process.version,
      store: { type: 'LOCAL', exists: true },
    });
    expect(report.wallets).toEqual({
      [signatureId]: {
        type: 'MNEMONIC',
        chain: 'BTC',
        testnet: false,
        warnings: ['mnemonic wallet: pending transactions must carry a derivation index'],
      },
      [testnetKey]: {
        type: 'PRIVATE_KEY',
        chain: 'ETH',
        testnet: true,
        warnings: [expect.stringMatching(/testnet/)],
      },
    });
    expect(report.warnings).toEqual([
      'No wallet found for signatureId: 00000000-0000-4000-8000-000000000000',
    ]);
    expect(report.apiKey).toBe('******** (set)');
    const everything = run.stdout + run.stderr;
    for (const secret of Object.values(SECRETS)) expect(everything).not.toContain(secret);
    expect(everything).not.toContain(exported[signatureId].mnemonic);
    expect(everything).not.toContain(exported[testnetKey].privateKey);
  }, 120_000);

  it('masks credentials and query tokens in URLs, and never shows the length of a secret', async () => {
    const urlSecrets = ['url-user', 'url-pass-77', 'query-token-88', 'vgs-pass-99'];
    const withUrls = {
      ...env,
      TATUM_API_URL: 'https://url-user:url-pass-77@api.example.com/base?apikey=query-token-88&x=1',
      TATUM_KMS_VGS_URL: 'https://vgs-user:vgs-pass-99@vault.example.com',
      TATUM_KMS_AWS_ENDPOINT: 'http://127.0.0.1:4566/?token=query-token-88',
    };
    const config = await runKmsInProcess(['checkconfig', '--path', path], { env: withUrls });
    expect(config.code).toBe(0);
    expect(config.stdout).toMatch(
      /^TATUM_API_URL\s*: https:\/\/\*\*\*:\*\*\*@api\.example\.com\/base\?apikey=\*\*\*&x=\*\*\*$/m,
    );
    expect(config.stdout).toMatch(/^TATUM_KMS_VGS_URL\s*: https:\/\/\*\*\*:\*\*\*@vault\.example\.com\/?$/m);
    expect(config.stdout).toMatch(/^TATUM_KMS_PASSWORD\s*: \*+ \(set\)$/m);
    expect(config.stdout).toMatch(/^TATUM_API_KEY\s*: \*+ \(set\)$/m);

    const report = await runKmsInProcess(['report', '--path', path], { env: withUrls });
    const shown = json<{ apiKey: string; config: { apiUrl: string } }>(report);
    expect(shown.config.apiUrl).toBe('https://***:***@api.example.com/base?apikey=***&x=***');
    expect(shown.apiKey).toBe('******** (set)');

    for (const run of [config, report]) {
      const everything = run.stdout + run.stderr;
      for (const secret of [...urlSecrets, ...Object.values(SECRETS)])
        expect(everything).not.toContain(secret);
      expect(everything).not.toMatch(/characters/);
    }
  }, 60_000);

  it('--help says that an --apiKey value is visible to other users and names the safe way', async () => {
    for (const command of ['daemon', 'report']) {
      const help = await runKmsInProcess([command, '--help'], { env: { HOME: dir } });
      expect(help.code).toBe(0);
      const text = help.stdout.replace(/\s+/g, ' ');
      expect(text).toMatch(
        /--apiKey <apiKey> Tatum API key\. A flag value is visible to every user of the machine \(ps, \/proc\): prefer TATUM_API_KEY in the environment or in the env file/,
      );
    }
  }, 60_000);
});
