// Issue "vault providers" benchmarks for the azure provider, against the local fake of Azure Key Vault
// and Microsoft Entra ID (test/support/fake-azure-key-vault.ts, HTTPS with a self-signed certificate)
// on 127.0.0.1 (print figures, never fail on time):
// 1. generatemanagedprivatekeybatch ETH 1000 (CLI, new store): wall time and Azure API calls.
// 2. listing the 25,000 wallets of one chain (ETH; 1,000 BTC beside them, in a vault of their own):
//    VaultWalletStore.ids() in-process (what the daemon does each cycle) with wall time and API calls,
//    and for reference list() (reads and decrypts every wallet).
// API calls are HTTP requests: to the vault (bearer challenge answers included) and to the token
// endpoint, as the fake recorded them per route.
require('./support/register-ts');
const { mkdtempSync, rmSync } = require('node:fs');
const { Agent } = require('node:https');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { runCli, fmt } = require('./support/run-cli');
const { FakeAzureKeyVault } = require('../test/support/fake-azure-key-vault.ts');
const { AZURE_STORAGE } = require('../libs/storage/src/azure/azure.provider.ts');
const { VaultWalletStore } = require('../libs/storage/src/vault/vault-wallet.store.ts');
const { AzureKeyVault } = require('../libs/storage/src/azure/azure-key.vault.ts');
const { azureOptionsFromConfig } = require('../libs/storage/src/azure/azure-key-vault.connection.ts');

/** Requests per route recorded by the fake from index `from` on, e.g. `{"token":1,"set":1000}`. */
const since = (fake, from) => {
  const counts = {};
  for (const { route } of fake.requests.slice(from)) counts[route] = (counts[route] ?? 0) + 1;
  return JSON.stringify(counts);
};

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'kms-bench-azure-'));
  // Two vaults: the batch goes into an empty one, the listing runs on one holding only its wallets
  // (Key Vault lists every secret of the vault, so other stores' secrets would add pages).
  const batchFake = await FakeAzureKeyVault.start();
  const bigFake = await FakeAzureKeyVault.start();
  // The CLI trusts the fake's certificate through NODE_EXTRA_CA_CERTS (in fake.env()).
  const env = (fake) => ({ HOME: dir, TATUM_KMS_PASSWORD: 'bench-password', ...fake.env() });
  // In-process, through an https agent trusting it.
  const agent = new Agent({ ca: bigFake.ca, keepAlive: true });
  try {
    const batch = await runCli(['generatemanagedprivatekeybatch', 'ETH', '1000'], { env: env(batchFake) });
    console.log(
      `azure: generatemanagedprivatekeybatch ETH 1000 (new store): ${fmt(batch.wallMs)} ms wall, ` +
        `${batchFake.count()} Azure API calls ${since(batchFake, 0)}, ${fmt(batch.maxRssMiB)} MiB peak RSS`,
    );

    const fill = await runCli(['generatemanagedprivatekeybatch', 'ETH', '25000'], { env: env(bigFake) });
    await runCli(['generatemanagedprivatekeybatch', 'BTC', '1000'], { env: env(bigFake) });
    console.log(
      `azure: (setup) 25,000 ETH + 1,000 BTC wallets: ${fmt(fill.wallMs)} ms wall for the ETH batch, ` +
        `${bigFake.count()} Azure API calls in all`,
    );

    const passwords = { origin: 'bench', password: async () => 'bench-password' };
    const settings = AZURE_STORAGE.parse(env(bigFake), { walletPath: '/nowhere/wallet.dat' });
    const vault = new AzureKeyVault(settings, { ...azureOptionsFromConfig(settings), agent });
    const store = new VaultWalletStore(vault, passwords, 'tatum-kms-');
    let from = bigFake.requests.length;
    let started = performance.now();
    const ids = await store.ids({ chain: 'ETH', testnet: false });
    console.log(
      `azure: ids({chain: ETH}) of ${ids.length} wallets (cold: token, reads the data key, one scrypt, lists): ` +
        `${fmt(performance.now() - started)} ms, ${vault.calls} Azure API calls ${since(bigFake, from)}`,
    );
    let calls = vault.calls;
    from = bigFake.requests.length;
    started = performance.now();
    await store.ids({ chain: 'ETH', testnet: false });
    console.log(
      `azure: ids({chain: ETH}) again (warm): ${fmt(performance.now() - started)} ms, ` +
        `${vault.calls - calls} Azure API calls ${since(bigFake, from)}`,
    );
    calls = vault.calls;
    from = bigFake.requests.length;
    started = performance.now();
    const wallets = await store.list({ chain: 'ETH', testnet: false });
    console.log(
      `azure: list({chain: ETH}) reading and decrypting ${wallets.length} wallets: ` +
        `${fmt(performance.now() - started)} ms, ${vault.calls - calls} Azure API calls ${since(bigFake, from)}`,
    );
  } finally {
    agent.destroy();
    await batchFake.stop();
    await bigFake.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
