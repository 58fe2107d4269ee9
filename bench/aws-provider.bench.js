// Issue "vault providers" benchmarks for the aws provider, against the local fake of AWS Secrets
// Manager (test/support/fake-aws-secrets-manager.ts, JSON 1.1 protocol with SigV4 checked) on
// 127.0.0.1 (print figures, never fail on time):
// 1. generatemanagedprivatekeybatch ETH 1000 (CLI, new store): wall time and Secrets Manager API calls.
// 2. listing the 25,000 wallets of one chain (ETH; 1,000 BTC beside them, in a vault of their own):
//    VaultWalletStore.ids() in-process (what the daemon does each cycle) with wall time and API calls,
//    and for reference list() (reads and decrypts every wallet).
require('./support/register-ts');
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { runCli, fmt } = require('./support/run-cli');
const {
  FAKE_AWS_CREDENTIALS,
  FakeAwsSecretsManager,
} = require('../test/support/fake-aws-secrets-manager.ts');
const { AWS_STORAGE } = require('../libs/storage/src/aws/aws.provider.ts');
const { VaultWalletStore } = require('../libs/storage/src/vault/vault-wallet.store.ts');
const { AwsSecretsVault } = require('../libs/storage/src/aws/aws-secrets.vault.ts');

/** Requests per action since `before` (a copy of fake.calls), e.g. `{"CreateSecret":1000}`. */
const since = (fake, before) =>
  JSON.stringify(
    Object.fromEntries(
      Object.entries(fake.calls)
        .map(([action, count]) => [action, count - (before[action] ?? 0)])
        .filter(([, count]) => count > 0),
    ),
  );

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'kms-bench-aws-'));
  // Two vaults: the batch goes into an empty one, the listing runs on one holding only its wallets.
  const batchFake = await FakeAwsSecretsManager.start();
  const bigFake = await FakeAwsSecretsManager.start();
  const env = (fake) => ({
    HOME: dir,
    TATUM_KMS_PASSWORD: 'bench-password',
    TATUM_KMS_STORAGE: 'aws',
    TATUM_KMS_AWS_REGION: 'us-east-1',
    TATUM_KMS_AWS_ENDPOINT: fake.url,
    TATUM_KMS_AWS_ACCESS_KEY_ID: FAKE_AWS_CREDENTIALS.accessKeyId,
    TATUM_KMS_AWS_SECRET_ACCESS_KEY: FAKE_AWS_CREDENTIALS.secretAccessKey,
  });
  try {
    const batch = await runCli(['generatemanagedprivatekeybatch', 'ETH', '1000'], { env: env(batchFake) });
    console.log(
      `aws: generatemanagedprivatekeybatch ETH 1000 (new store): ${fmt(batch.wallMs)} ms wall, ` +
        `${batchFake.totalCalls} Secrets Manager API calls ${since(batchFake, {})}, ` +
        `${fmt(batch.maxRssMiB)} MiB peak RSS`,
    );

    const fill = await runCli(['generatemanagedprivatekeybatch', 'ETH', '25000'], { env: env(bigFake) });
    await runCli(['generatemanagedprivatekeybatch', 'BTC', '1000'], { env: env(bigFake) });
    console.log(
      `aws: (setup) 25,000 ETH + 1,000 BTC wallets: ${fmt(fill.wallMs)} ms wall for the ETH batch, ` +
        `${bigFake.totalCalls} Secrets Manager API calls in all`,
    );

    const passwords = { origin: 'bench', password: async () => 'bench-password' };
    const settings = AWS_STORAGE.parse(env(bigFake), { walletPath: '/nowhere/wallet.dat' });
    const vault = new AwsSecretsVault(settings);
    const store = new VaultWalletStore(vault, passwords, 'tatum-kms-');
    let before = { ...bigFake.calls };
    let started = performance.now();
    const ids = await store.ids({ chain: 'ETH', testnet: false });
    console.log(
      `aws: ids({chain: ETH}) of ${ids.length} wallets (cold: reads the data key, one scrypt, lists): ` +
        `${fmt(performance.now() - started)} ms, ${vault.calls} Secrets Manager API calls ${since(bigFake, before)}`,
    );
    let calls = vault.calls;
    before = { ...bigFake.calls };
    started = performance.now();
    await store.ids({ chain: 'ETH', testnet: false });
    console.log(
      `aws: ids({chain: ETH}) again (warm): ${fmt(performance.now() - started)} ms, ` +
        `${vault.calls - calls} Secrets Manager API calls ${since(bigFake, before)}`,
    );
    calls = vault.calls;
    before = { ...bigFake.calls };
    started = performance.now();
    const wallets = await store.list({ chain: 'ETH', testnet: false });
    console.log(
      `aws: list({chain: ETH}) reading and decrypting ${wallets.length} wallets: ` +
        `${fmt(performance.now() - started)} ms, ${vault.calls - calls} Secrets Manager API calls ${since(bigFake, before)}`,
    );
  } finally {
    await batchFake.stop();
    await bigFake.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
