import { Test, type TestingModule } from '@nestjs/testing';
import { type ChainSigner, ChainModule, ChainRegistry } from '@kms/chains';
import { signerConformance } from '@kms/chains/testing';

/**
 * The built-in chains pass the signer conformance kit that plugin authors run against their own
 * signers (@kms/chains/testing): one chain of each family and key format.
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
signerConformance('BTC', () => builtIn('BTC'));
signerConformance('SOL', () => builtIn('SOL'));
signerConformance('TRON', () => builtIn('TRON'));
signerConformance('XRP', () => builtIn('XRP'));
