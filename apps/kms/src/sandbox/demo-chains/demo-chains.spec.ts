import { Test, type TestingModule } from '@nestjs/testing';
import { ChainModule, ChainRegistry, type ChainNetwork } from '@kms/chains';
import { resolveKeys } from '@kms/signing';
import type { WalletEntry, WalletStore } from '@kms/storage';
import { parsePendingItems } from '@kms/tatum';
import { SandboxNode } from '../sandbox-node';
import { createDemoWallets } from '../sandbox-wallets';
import { DEMO_CHAINS, type DemoWallet } from '.';

/**
 * Each chain's demo transactions are signed by the KMS's real signer (keys resolved as the pipeline
 * resolves them, network calls answered by the sandbox node), and the chain's check verifies them;
 * the same signature checked against another wallet does not verify.
 */
describe('demo chains', () => {
  let moduleRef: TestingModule;
  let registry: ChainRegistry;
  const node = new SandboxNode();
  // the sandbox API's answers: nonces and fees of the Tatum API, JSON-RPC of the chains' nodes
  const network = {
    tatum: async (_method: string, path: string) => {
      if (/\/transaction\/count\//.test(path)) return node.nonce;
      if (/^\/v3\/blockchain\/fee\//.test(path)) return node.fees;
      throw new Error(`the sandbox answers no ${path}`);
    },
    node: async (name: string, request: { rpc?: string; params?: unknown }) => {
      const answer = node.answer(name.toUpperCase(), { id: 1, method: request.rpc, params: request.params }) as {
        result?: unknown;
        error?: { message: string };
      };
      if (answer.error) throw new Error(answer.error.message);
      return answer.result;
    },
  } as unknown as ChainNetwork;

  beforeAll(async () => {
    moduleRef = await Test.createTestingModule({ imports: [ChainModule.forRoot()] }).compile();
    await moduleRef.init();
    registry = moduleRef.get(ChainRegistry);
  });
  afterAll(() => moduleRef.close());

  /** Two wallets of `chain` in a store that keeps its entries in memory. */
  async function walletsOf(chain: string) {
    const entries = new Map<string, WalletEntry>();
    const store = {
      add: async (added: WalletEntry[]) =>
        added.map((entry) => {
          const id = `00000000-0000-4000-8000-${String(entries.size).padStart(12, '0')}`;
          entries.set(id, entry);
          return id;
        }),
    } as unknown as WalletStore;
    const [wallet, other] = await createDemoWallets(registry, store, [chain, chain]);
    return { wallet, other, lookup: async (id: string) => entries.get(id) };
  }

  async function sign(
    chain: string,
    wallet: DemoWallet,
    lookup: (id: string) => Promise<WalletEntry | undefined>,
    variant: number,
  ) {
    const demo = DEMO_CHAINS.get(chain)!;
    const signer = registry.get(chain);
    const { item } = await demo.pending(wallet, variant);
    const batch = parsePendingItems([{ id: `pending-${variant}`, ...item }], chain);
    expect(batch.invalid).toEqual([]);
    const tx = batch.transactions[0];
    const { keys } = await resolveKeys(tx, lookup, signer, {
      testnet: false,
      allowed: new Set([wallet.signatureId]),
    });
    const txData = await signer.signTransaction({
      pendingId: tx.id,
      serializedTransaction: tx.serializedTransaction,
      keys,
      withdrawal: false,
      testnet: false,
      network,
    });
    const onNode = demo.signedOnNode ? node.solanaSubmissions.get(txData) : undefined;
    const signed = onNode ? Buffer.from(onNode).toString('base64') : txData;
    return { demo, item: tx.received as Record<string, unknown>, signed, txId: await demo.txId(txData) };
  }

  it.each([...DEMO_CHAINS.keys()])(
    '%s: the signer of each variant is verified to be the wallet',
    async (chain) => {
      const { wallet, other, lookup } = await walletsOf(chain);
      for (const variant of [0, 1, 2]) {
        const { demo, item, signed, txId } = await sign(chain, wallet, lookup, variant);
        expect(await demo.verify({ signed, txId, item, wallet })).toMatchObject({ verified: true });
        expect(
          await demo.verify({ signed, txId, item, wallet: { ...other, signatureId: wallet.signatureId } }),
        ).toMatchObject({
          verified: false,
        });
      }
    },
    60_000,
  );

  it('BTC: an input whose signature was altered does not verify', async () => {
    const { wallet, lookup } = await walletsOf('BTC');
    const { demo, item, signed, txId } = await sign('BTC', wallet, lookup, 0);
    const { Transaction } = await import('bitcoinjs-lib');
    const tx = Transaction.fromHex(signed);
    const signature = Buffer.from(tx.ins[0].witness[0]);
    signature[10] ^= 1;
    tx.ins[0].witness[0] = signature;
    expect(await demo.verify({ signed: tx.toHex(), txId, item, wallet })).toEqual({
      verified: false,
      detail: "input 0's signature does not verify",
    });
  });
});
