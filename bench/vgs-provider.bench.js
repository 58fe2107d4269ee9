// Issue "vault providers" benchmarks for the vgs provider, against the local fake of the VGS aliases
// API (test/support/fake-vgs.ts) on 127.0.0.1 (print figures, never fail on time):
// 1. generatemanagedprivatekeybatch ETH 1000 (CLI, new store): wall time and VGS API calls.
// 2. listing the 25,000 wallets of one chain (ETH; 1,000 BTC beside them): VaultWalletStore.ids()
//    in-process (what the daemon does each cycle) with wall time and API calls, and for reference
//    list() (reads and decrypts every wallet).
require('./support/register-ts');
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { runCli, fmt } = require('./support/run-cli');
const { FakeVgs } = require('../test/support/fake-vgs.ts');
const { VaultWalletStore } = require('../libs/storage/src/vault/vault-wallet.store.ts');
const { VgsVault } = require('../libs/storage/src/vgs/vgs.vault.ts');

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'kms-bench-vgs-'));
  const fake = await FakeVgs.start({ username: 'bench-user', password: 'bench-secret' });
  const settings = (index) => ({
    vgsUrl: fake.url,
    vgsUsername: 'bench-user',
    vgsPassword: 'bench-secret',
    vgsIndexPath: join(dir, index),
  });
  const env = (index) => ({
    HOME: dir,
    TATUM_KMS_PASSWORD: 'bench-password',
    TATUM_KMS_STORAGE: 'vgs',
    TATUM_KMS_VGS_URL: fake.url,
    TATUM_KMS_VGS_USERNAME: 'bench-user',
    TATUM_KMS_VGS_PASSWORD: 'bench-secret',
    TATUM_KMS_VGS_INDEX: join(dir, index),
  });
  try {
    let before = fake.requests;
    const batch = await runCli(['generatemanagedprivatekeybatch', 'ETH', '1000'], { env: env('batch.idx') });
    console.log(
      `vgs: generatemanagedprivatekeybatch ETH 1000 (new store): ${fmt(batch.wallMs)} ms wall, ` +
        `${fake.requests - before} VGS API calls, ${fmt(batch.maxRssMiB)} MiB peak RSS`,
    );

    before = fake.requests;
    const fill = await runCli(['generatemanagedprivatekeybatch', 'ETH', '25000'], { env: env('big.idx') });
    await runCli(['generatemanagedprivatekeybatch', 'BTC', '1000'], { env: env('big.idx') });
    console.log(
      `vgs: (setup) 25,000 ETH + 1,000 BTC wallets: ${fmt(fill.wallMs)} ms wall for the ETH batch, ` +
        `${fake.requests - before} VGS API calls in all`,
    );

    const passwords = { origin: 'bench', password: async () => 'bench-password' };
    const vault = new VgsVault(settings('big.idx'));
    const store = new VaultWalletStore(vault, passwords, 'tatum-kms-');
    let started = performance.now();
    const ids = await store.ids({ chain: 'ETH', testnet: false });
    console.log(
      `vgs: ids({chain: ETH}) of ${ids.length} wallets (cold: reads the data key, one scrypt, reads the index): ` +
        `${fmt(performance.now() - started)} ms, ${vault.calls} VGS API calls`,
    );
    let calls = vault.calls;
    started = performance.now();
    await store.ids({ chain: 'ETH', testnet: false });
    console.log(
      `vgs: ids({chain: ETH}) again (warm): ${fmt(performance.now() - started)} ms, ${vault.calls - calls} VGS API calls`,
    );
    calls = vault.calls;
    started = performance.now();
    const wallets = await store.list({ chain: 'ETH', testnet: false });
    console.log(
      `vgs: list({chain: ETH}) reading and decrypting ${wallets.length} wallets: ` +
        `${fmt(performance.now() - started)} ms, ${vault.calls - calls} VGS API calls`,
    );
  } finally {
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
