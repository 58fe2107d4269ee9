import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import vectors from './fixtures/derivation.json';
import { FakeTatumApi } from './support/fake-tatum-api';
import { json, runKms, tempDir, type KmsRun } from './support/kms-cli';
import { runKmsInProcess } from './support/kms-in-process';
import { writeTestWalletFile } from './support/wallet-files';

/**
 * The command line as tatum-kms 8.0.1 reads it (meow 13): every flag on every command, in any position,
 * camelCase or kebab-case, booleans negatable; `.env` of the working directory and the env file; help
 * on stdout with exit 0; `--version`.
 */
const PASSWORD = 'cli-parsing-password';
const ETH = vectors.chains.ETH;

describe('the command line, as tatum-kms reads it', () => {
  const { dir, cleanup } = tempDir('kms-cli-parsing-');
  const path = join(dir, 'wallet.dat');
  const env = { HOME: dir, TATUM_KMS_PASSWORD: PASSWORD };
  let walletId: string;
  afterAll(cleanup);

  const address0 = (run: KmsRun) => json<{ address: string }>(run).address;

  beforeAll(async () => {
    await writeTestWalletFile(path, PASSWORD);
    walletId = json<{ signatureId: string }>(
      await runKmsInProcess(['storemanagedwallet', 'ETH', '--path', path], {
        env,
        input: `${vectors.mnemonic}\n`,
      }),
    ).signatureId;
  });

  it('a flag before the command (the form of tatum-kms’s README)', async () => {
    const envFile = join(dir, 'custom.env');
    writeFileSync(envFile, `TATUM_KMS_PASSWORD=${PASSWORD}\n`);
    const run = await runKmsInProcess([`--envFile=${envFile}`, 'getaddress', walletId, '0', '--path', path], {
      env: { HOME: dir },
    });
    expect(address0(run)).toBe(ETH.mainnet.generateAddressFromXPub['0']);
    const testnet = json<{ xpub: string }>(
      await runKmsInProcess(['--testnet', 'generatewallet', 'BTC'], { env }),
    );
    expect(testnet.xpub).toMatch(/^tpub/);
  });

  it('a flag another command uses is accepted and ignored', async () => {
    const run = await runKmsInProcess(
      ['generatewallet', 'BTC', '--period=5', '--chain', 'ETH', '--runOnce'],
      {
        env,
      },
    );
    expect(json<{ xpub: string }>(run).xpub).toMatch(/^xpub/);
    expect(run.stderr).toBe('');
  });

  it('booleans as --testnet=false, --no-testnet, --testnet=true', async () => {
    for (const flag of ['--testnet=false', '--no-testnet']) {
      const run = await runKmsInProcess(['generatewallet', 'BTC', flag], { env });
      expect(json<{ xpub: string }>(run).xpub).toMatch(/^xpub/);
    }
    const run = await runKmsInProcess(['generatewallet', 'BTC', '--testnet=true'], { env });
    expect(json<{ xpub: string }>(run).xpub).toMatch(/^tpub/);
  });

  it('kebab-case flags: --env-file, --api-key, --run-once, --external-url(-method), --transaction-ids', async () => {
    const api = await FakeTatumApi.start({ apiKey: 'kebab-api-key' });
    try {
      const envFile = join(dir, 'kebab.env');
      writeFileSync(envFile, `TATUM_KMS_PASSWORD=${PASSWORD}\nTATUM_API_URL=${api.url}\n`);
      // mainnet: --external-url is mandatory; --run-once makes it return after one cycle
      const run = await runKms(
        [
          'daemon',
          '--run-once',
          '--external-url',
          'http://127.0.0.1:9/approve',
          '--external-url-method=POST',
          '--transaction-ids=none-such',
          '--chain=ETH',
          '--api-key',
          'kebab-api-key',
          '--env-file',
          envFile,
          '--path',
          path,
        ],
        { env: { HOME: dir }, timeoutMs: 60_000 },
      );
      expect(run.code).toBe(0);
      const pending = api.requests.filter((r) => r.path === '/v3/kms/pending/ETH');
      expect(pending).toHaveLength(1);
      expect(pending[0].headers['x-api-key']).toBe('kebab-api-key');
      expect(pending[0].body).toEqual({ signatureIds: [walletId] });
    } finally {
      await api.stop();
    }
  }, 90_000);

  it('.env of the working directory is loaded; the environment wins over it, and it over --envFile', async () => {
    const cwd = join(dir, 'work');
    mkdirSync(cwd);
    writeFileSync(
      join(cwd, '.env'),
      `TATUM_KMS_PASSWORD=${PASSWORD}\nTATUM_API_URL=https://from-dotenv.example\n`,
    );
    const envFile = join(dir, 'lower.env');
    writeFileSync(envFile, 'TATUM_KMS_PASSWORD=not-this-one\nTATUM_API_URL=https://from-envfile.example\n');
    const run = await runKmsInProcess(['getaddress', walletId, '0', '--path', path, '--envFile', envFile], {
      env: { HOME: dir },
      cwd,
    });
    expect(address0(run)).toBe(ETH.mainnet.generateAddressFromXPub['0']);
    const config = await runKmsInProcess(['checkconfig', '--envFile', envFile], {
      env: { HOME: dir, TATUM_API_URL: 'https://from-env.example' },
      cwd,
    });
    expect(config.stdout).toMatch(/TATUM_API_URL\s*: https:\/\/from-env\.example/);
    const spawned = await runKms(['getaddress', walletId, '0', '--path', path], { env: { HOME: dir }, cwd });
    expect(address0(spawned)).toBe(ETH.mainnet.generateAddressFromXPub['0']);
  });

  it('no command prints the help on stdout with exit 0; --help of a command too', async () => {
    for (const run of [await runKms([], { env }), await runKmsInProcess(['--help'], { env })]) {
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^Usage: tatum-kms \[options\] \[command\]/);
      expect(run.stdout).toMatch(/generatemanagedwallet/);
      expect(run.stderr).toBe('');
    }
    const daemon = await runKmsInProcess(['daemon', '--help'], { env });
    expect(daemon.code).toBe(0);
    expect(daemon.stdout).toMatch(/Usage: tatum-kms daemon/);
    expect(daemon.stdout).toMatch(/--externalUrl/);
  });

  it('--version prints this release and the tatum-kms protocol it implements', async () => {
    const run = await runKms(['--version']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^\d+\.\d+\.\d+ \(tatum-kms 8\.0\.1 compatible\)\n$/);
  });

  it('an unknown flag is ignored with a warning on stderr, never taken as a value', async () => {
    const run = await runKmsInProcess(['getaddress', walletId, '--frobnicate', '0', '--path', path], { env });
    expect(address0(run)).toBe(ETH.mainnet.generateAddressFromXPub['0']);
    expect(run.stderr).toBe('Ignoring unknown flag "--frobnicate"\n');
  });
});
