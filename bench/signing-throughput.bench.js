// Per-chain signing throughput (transactions per second, one core, in process; prints figures only):
// ETH legacy transfers, BTC transactions with 2 inputs (the signing vector), SOL transfers executed
// against an in-process LiteSVM node (so SOL includes submitting and confirming).
require('./support/register-ts');
require('reflect-metadata');
const { Test } = require('@nestjs/testing');
const { ChainModule, ChainRegistry } = require('@kms/chains');
const signing = require('../test/fixtures/signing.json');
const { LiteSvmNetwork } = require('../test/support/litesvm-network');

const NO_NETWORK = { nonce: async () => 0, gasPrice: async () => '1', rpc: async () => undefined };

async function throughput(name, count, signOne) {
  await signOne(0); // warm up: lazy libraries load here, not in the measurement
  const started = process.hrtime.bigint();
  for (let i = 1; i <= count; i++) await signOne(i);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  console.log(`${name}: ${Math.round(count / seconds)} tx/s (${count} in ${(seconds * 1000).toFixed(0)} ms)`);
}

async function main() {
  const moduleRef = await Test.createTestingModule({ imports: [ChainModule.forRoot()] }).compile();
  await moduleRef.init();
  const chains = moduleRef.get(ChainRegistry);

  const eth = signing.vectors.find((v) => v.chain === 'ETH');
  await throughput('ETH (legacy transfer)', 2000, (i) =>
    chains.get('ETH').signTransaction({
      serializedTransaction: JSON.stringify({ ...JSON.parse(eth.pendingTx.serializedTransaction), nonce: i }),
      keys: eth.privateKeys,
      withdrawal: false,
      testnet: false,
      network: NO_NETWORK,
    }),
  );

  const btc = signing.vectors.find((v) => v.chain === 'BTC' && v.privateKeys.length === 2);
  await throughput('BTC (2 inputs, P2WPKH)', 1000, () =>
    chains.get('BTC').signTransaction({
      serializedTransaction: btc.pendingTx.serializedTransaction,
      keys: btc.privateKeys,
      withdrawal: false,
      testnet: false,
      network: NO_NETWORK,
    }),
  );

  const { Keypair, PublicKey, SystemProgram, Transaction } = require('@solana/web3.js');
  const svm = new LiteSvmNetwork();
  const sol = chains.get('SOL');
  const wallet = await sol.generateWallet(true);
  svm.airdrop(wallet.address, 10n ** 12n);
  const payer = new PublicKey(wallet.address);
  await throughput('SOL (transfer, submitted to LiteSVM)', 500, (i) =>
    sol.signTransaction({
      serializedTransaction: JSON.stringify({
        txData: new Transaction({ feePayer: payer, recentBlockhash: '11111111111111111111111111111111' })
          .add(
            SystemProgram.transfer({
              fromPubkey: payer,
              toPubkey: Keypair.generate().publicKey,
              lamports: 1_000_000 + i,
            }),
          )
          .serializeMessage()
          .toString('hex'),
      }),
      keys: [wallet.privateKey],
      withdrawal: false,
      testnet: true,
      network: svm,
    }),
  );
  await moduleRef.close();
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
