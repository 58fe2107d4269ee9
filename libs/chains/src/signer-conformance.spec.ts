import { Test, type TestingModule } from '@nestjs/testing';
import { type ChainSigner, ChainModule, ChainRegistry } from '@kms/chains';
import { signerConformance } from '@kms/chains/testing';

/**
 * Every built-in chain passes the signer conformance kit that plugin authors run against their own
 * signers (@kms/chains/testing); a chain added to the registry must be added here.
 */
let moduleRef: TestingModule | undefined;
async function builtIn(chain: string): Promise<ChainSigner> {
  if (!moduleRef) {
    moduleRef = await Test.createTestingModule({ imports: [ChainModule.forRoot()] }).compile();
    await moduleRef.init();
  }
  return moduleRef.get(ChainRegistry).get(chain);
}
afterAll(async () => {
  await moduleRef?.close();
});

signerConformance('ETH', () => builtIn('ETH'), {
  expected: {
    mainnet: {
      address: '0xc05f796d9a672f99da124f99130001a8b9eb0bae',
      privateKey: '0xb048716424d2570a1ae8cc211bb5da6b123a5b56aaedaa4bcc68dcff53cd7084',
    },
  },
  malformedTransactions: [
    JSON.stringify({ to: 42, value: '1' }),
    JSON.stringify({ to: '0x00000000000000000000000000000000000000a1', value: { wei: 1 } }),
    JSON.stringify({ to: '0x00000000000000000000000000000000000000a1', value: '1', nonce: 'next' }),
    JSON.stringify({ to: '0x00000000000000000000000000000000000000a1', value: `1${'0'.repeat(100)}` }),
  ],
});

/** Every other built-in chain, with the kit's generic fixtures. */
const OTHERS = [
  ...['BTC', 'LTC', 'DOGE', 'BCH'],
  ...['BSC', 'MATIC', 'CELO', 'KLAY', 'ONE', 'XDC', 'KCS', 'VET'],
  ...['SOL', 'TRON', 'XRP', 'XLM', 'ALGO', 'EGLD', 'FLOW', 'ADA'],
];
for (const chain of OTHERS) signerConformance(chain, () => builtIn(chain));

it('runs for every built-in chain', async () => {
  await builtIn('ETH');
  expect(moduleRef!.get(ChainRegistry).chains().sort()).toEqual(['ETH', ...OTHERS].sort());
});
