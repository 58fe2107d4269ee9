import { Injectable, Logger, Module } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import {
  ChainModule,
  ChainRegistry,
  ChainSigner,
  InvalidTransactionError,
  type KeyPair,
  type SignRequest,
  type TatumApiDeclaration,
} from '@kms/chains';
import type { KmsConfig } from '@kms/config';
import type { ApprovalGateway } from '@kms/four-eye';
import { SqliteJournal, TxSealer } from '@kms/journal';
import { SigningPipeline } from '@kms/signing';
import type { WalletEntry, WalletStore } from '@kms/storage';
import { TatumClient } from '@kms/tatum';
import { FakeTatumApi } from './support/fake-tatum-api';

/**
 * A chain this KMS does not ship, added as a plugin is: a Nest module with one `@ChainSigner` class
 * that declares its own Tatum API paths and asks the network through the generic port. It signs and
 * broadcasts through the real pipeline and TatumClient against the fake API, at its declared path:
 * nothing in apps/ or libs/ names it.
 */
const API_KEY = 'plugin-chain-api-key';
const WALLET = '0f4c6a1e-2b3d-4e5f-8a9b-0c1d2e3f4a5b';

@ChainSigner('ZZT')
@Injectable()
class ZztSigner implements ChainSigner {
  readonly chain: string = 'ZZT';
  readonly tatum: TatumApiDeclaration = {
    broadcastPath: 'zzt',
    noncePath: 'zzt',
    offchainWithdrawals: false,
  };
  readonly walletModel = 'keyPair' as const;
  generateWallet = async (): Promise<KeyPair> => ({ address: 'zzt-address', privateKey: 'zzt-key' });
  walletFromMnemonic = async (mnemonic: string) => ({ mnemonic });
  deriveAddress = async () => 'zzt-address';
  derivePrivateKey = async () => 'zzt-key';
  generateKeyPair = async (): Promise<KeyPair> => ({ address: 'zzt-address', privateKey: 'zzt-key' });
  importPrivateKey = async (privateKey: string): Promise<KeyPair> => ({ address: 'zzt-address', privateKey });

  /** "Signs" as `<payload>|nonce=<n>|<key>`, its nonce asked at its own path through the generic port. */
  async signTransaction(request: SignRequest): Promise<string> {
    if (!request.serializedTransaction.startsWith('zzt:'))
      throw new InvalidTransactionError('ZZT', 'not zzt');
    const nonce = await request.network.tatum(
      'GET',
      `/v3/${this.tatum.noncePath}/transaction/count/zzt-address`,
    );
    return `${request.serializedTransaction}|nonce=${String(nonce)}|${request.keys[0]}`;
  }
}

@Module({ providers: [ZztSigner] })
class ZztChainModule {}

describe('a plugin chain (ZZT) registered through ChainModule plugins', () => {
  let api: FakeTatumApi;
  let moduleRef: TestingModule;
  let client: TatumClient;

  beforeAll(() => Logger.overrideLogger(false));
  afterAll(() => Logger.overrideLogger(new Logger()));

  beforeEach(async () => {
    api = await FakeTatumApi.start({ apiKey: API_KEY });
    moduleRef = await Test.createTestingModule({
      imports: [ChainModule.forRoot({ plugins: [ZztChainModule] })],
    }).compile();
    await moduleRef.init();
    client = new TatumClient({ apiUrl: api.url, apiKey: API_KEY, clientVersion: '8.0.1' });
  });

  afterEach(async () => {
    client.onModuleDestroy();
    await moduleRef.close();
    await api.stop();
  });

  const pipeline = async (): Promise<SigningPipeline> => {
    const wallets = new Map<string, WalletEntry>([
      [WALLET, { chain: 'ZZT', testnet: false, privateKey: 'zzt-key', address: 'zzt-address' }],
    ]);
    const store = {
      ids: async ({ chain }: { chain?: string }) =>
        [...wallets].filter(([, e]) => e.chain === chain).map(([id]) => id),
      get: async (id: string) => wallets.get(id)!,
    } as unknown as WalletStore;
    const approvals: ApprovalGateway = { approve: async () => ({ approved: true }) };
    const config = { testnet: false, maxFees: {}, nodeUrls: {} } as unknown as KmsConfig;
    const pipeline = new SigningPipeline(moduleRef.get(ChainRegistry), store, client, approvals, config);
    pipeline.useJournal({
      journal: SqliteJournal.open(':memory:'),
      sealer: await TxSealer.fromPassword('plugin-chain'),
      replica: 'plugin-chain',
    });
    return pipeline;
  };

  it('signs with its wallet and broadcasts to POST /v3/zzt/broadcast, its declared path', async () => {
    api.setNonce('zzt-address', 9);
    api.addPending({ id: 'zzt-1', chain: 'ZZT', serializedTransaction: 'zzt:pay', hashes: [WALLET] });

    const report = await (await pipeline()).runCycle({ chains: ['ZZT'] });

    expect(report).toMatchObject({ pending: 1, broadcast: 1, failed: 0 });
    expect(api.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
      'POST /v3/kms/pending/ZZT',
      'GET /v3/zzt/transaction/count/zzt-address',
      'POST /v3/zzt/broadcast',
    ]);
    expect(api.broadcasts).toMatchObject([
      { path: 'zzt', txData: 'zzt:pay|nonce=9|zzt-key', signatureId: 'zzt-1' },
    ]);
    expect(api.pendingTransactions).toEqual([]);
  });

  it('sends its off-chain withdrawals to its own broadcast, as it declares', async () => {
    api.addPending({
      id: 'zzt-w',
      chain: 'ZZT',
      serializedTransaction: 'zzt:withdraw',
      hashes: [WALLET],
      withdrawalId: 'w-1',
    });
    const report = await (await pipeline()).runCycle({ chains: ['ZZT'] });
    expect(report).toMatchObject({ broadcast: 1, failed: 0 });
    expect(api.requestsTo('offchain-broadcast')).toEqual([]);
    expect(api.broadcasts).toMatchObject([{ path: 'zzt', signatureId: 'zzt-w' }]);
  });

  it('refuses to boot a plugin signer that declares no Tatum path', async () => {
    @ChainSigner('ZZU')
    @Injectable()
    class Undeclared extends ZztSigner {
      override readonly chain = 'ZZU';
      override readonly tatum = undefined as unknown as TatumApiDeclaration;
    }
    @Module({ providers: [Undeclared] })
    class UndeclaredModule {}
    const broken = await Test.createTestingModule({
      imports: [ChainModule.forRoot({ plugins: [UndeclaredModule] })],
    }).compile();
    await expect(broken.init()).rejects.toMatchObject({
      code: 'INVALID_CHAIN_SIGNER',
      message: 'The signer of chain ZZU declares no valid tatum.broadcastPath',
    });
  });
});
