import { Logger } from '@nestjs/common';
import {
  ChainRegistry,
  InvalidTransactionError,
  type ChainSigner,
  type DescribeRequest,
  type SignRequest,
  type TransactionSummary,
} from '@kms/chains';
import type { KmsConfig } from '@kms/config';
import type { ApprovalDecision, ApprovalGateway, ApproveOptions } from '@kms/four-eye';
import { InMemoryUsage, parsePolicy } from '@kms/policy';
import {
  WalletNotFoundError,
  WrongPasswordError,
  type WalletEntry,
  type WalletFilter,
  type WalletStore,
} from '@kms/storage';
import {
  InvalidPendingTxError,
  TatumApiError,
  type BroadcastResult,
  type OffchainBroadcastRequest,
  type PendingBatch,
  type PendingTransaction,
  type PendingTxError,
  type TatumClient,
} from '@kms/tatum';
import { SqliteJournal, TxSealer, type JournalEntry } from '@kms/journal';
import type { OutcomeEvent } from './cycle-observer.port';
import { payloadHash } from './payload-hash';
import { SigningPipeline } from './signing.pipeline';

/**
 * The pipeline's outcomes, each with typed fakes of its ports (API client, approval server, store,
 * signer): signed, denied, each kind of failure, the exactly-once rules of a broadcast, and abort.
 */

/** The part of TatumClient the pipeline calls, answering as the real API does (recorded calls). */
class FakeTatum {
  pendingByChain = new Map<string, PendingBatch | Error>();
  broadcastAnswers: Array<BroadcastResult | Error> = [];
  broadcasts: Array<{ path: string; txData: string; id: string }> = [];
  offchainAnswers: Array<{ txId?: string; completed?: boolean }> = [];
  offchain: OffchainBroadcastRequest[] = [];
  reported: PendingTxError[][] = [];
  reportFails = false;
  asked: Array<{ chain: string; ids: readonly string[] }> = [];

  async pending(chain: string, ids: readonly string[]): Promise<PendingBatch> {
    this.asked.push({ chain, ids });
    const answer = this.pendingByChain.get(chain) ?? { transactions: [], invalid: [] };
    if (answer instanceof Error) throw answer;
    return answer;
  }
  async broadcast(path: string, txData: string, id: string): Promise<BroadcastResult> {
    this.broadcasts.push({ path, txData, id });
    const answer = this.broadcastAnswers.shift() ?? { txId: `tx-of-${id}` };
    if (answer instanceof Error) throw answer;
    return answer;
  }
  async offchainBroadcast(
    request: OffchainBroadcastRequest,
  ): Promise<{ txId?: string; completed?: boolean }> {
    this.offchain.push(request);
    return this.offchainAnswers.shift() ?? { txId: `offchain-${request.withdrawalId}` };
  }
  async reportErrors(errors: PendingTxError[]): Promise<void> {
    if (this.reportFails) throw new TatumApiError('POST /v3/tatum/kms/batch', 'http', 'HTTP 500', 500);
    this.reported.push(errors);
  }
}

class FakeApprovals implements ApprovalGateway {
  denied = new Set<string>();
  asked: string[] = [];
  async approve(tx: { id?: unknown }): Promise<ApprovalDecision> {
    this.asked.push(String(tx.id));
    return this.denied.has(String(tx.id))
      ? { approved: false, reason: 'the approval server answered HTTP 403' }
      : { approved: true };
  }
}

class FakeStore implements Partial<WalletStore> {
  wallets = new Map<string, WalletEntry>();
  broken?: Error;
  async ids(filter?: WalletFilter): Promise<string[]> {
    if (this.broken) throw this.broken;
    const chains = filter?.chain === undefined ? undefined : [filter.chain].flat();
    return [...this.wallets]
      .filter(([, entry]) => (!chains || chains.includes(entry.chain)) && entry.testnet === filter?.testnet)
      .map(([id]) => id);
  }
  async get(id: string): Promise<WalletEntry> {
    const entry = this.wallets.get(id);
    if (!entry) throw new WalletNotFoundError(id);
    return entry;
  }
  async refreshIfChanged(): Promise<boolean> {
    if (this.broken) throw this.broken;
    return false;
  }
}

/** A signer that "signs" by naming the key and the payload; `failOn` payloads throw. */
class FakeSigner implements Partial<ChainSigner> {
  readonly chain = 'ETH';
  readonly walletModel = 'hd' as const;
  tatum = { broadcastPath: 'ethereum', offchainWithdrawals: true };
  signed: SignRequest[] = [];
  async signTransaction(request: SignRequest): Promise<string> {
    if (request.serializedTransaction === 'malformed') {
      throw new InvalidTransactionError('ETH', 'the payload is not a transaction');
    }
    this.signed.push(request);
    return `signed(${request.serializedTransaction})by(${request.keys.join(',')})#${this.signed.length}`;
  }
}

const tx = (id: string, fields: Partial<PendingTransaction> = {}): PendingTransaction => ({
  id,
  chain: 'ETH',
  serializedTransaction: `payload-${id}`,
  hashes: ['wallet-1'],
  received: { id },
  ...fields,
});

describe('SigningPipeline', () => {
  let tatum: FakeTatum;
  let approvals: FakeApprovals;
  let store: FakeStore;
  let signer: FakeSigner;
  let pipeline: SigningPipeline;
  let outcomes: OutcomeEvent[];
  let journal: SqliteJournal;
  let sealer: TxSealer;

  beforeAll(async () => {
    sealer = await TxSealer.fromPassword('store-password');
  });
  afterEach(() => journal.close());
  const entries = async () => {
    const all: JournalEntry[] = [];
    for await (const entry of journal.list()) all.push(entry);
    return all;
  };

  beforeAll(() => Logger.overrideLogger(false));
  afterAll(() => Logger.overrideLogger(new Logger()));

  beforeEach(() => {
    tatum = new FakeTatum();
    approvals = new FakeApprovals();
    store = new FakeStore();
    store.wallets.set('wallet-1', { chain: 'ETH', testnet: false, privateKey: 'key-1' });
    store.wallets.set('wallet-2', { chain: 'ETH', testnet: false, privateKey: 'key-2' });
    store.wallets.set('testnet-wallet', { chain: 'ETH', testnet: true, privateKey: 'key-t' });
    signer = new FakeSigner();
    const chains = new ChainRegistry(undefined as never);
    chains.register('ETH', signer as unknown as ChainSigner);
    const config = { testnet: false, maxFees: {}, nodeUrls: {} } as unknown as KmsConfig;
    pipeline = new SigningPipeline(
      chains,
      store as unknown as WalletStore,
      tatum as unknown as TatumClient,
      approvals,
      config,
    );
    journal = SqliteJournal.open(':memory:');
    pipeline.useJournal({ journal, sealer, replica: 'test-replica' });
    outcomes = [];
    pipeline.observe({ outcome: (event) => outcomes.push(event) });
  });

  const serve = (...transactions: PendingTransaction[]) =>
    tatum.pendingByChain.set('ETH', { transactions, invalid: [] });

  it('asks for the wallets of the chain and network only, signs with their key and broadcasts', async () => {
    serve(tx('a'));
    const report = await pipeline.runCycle();
    expect(tatum.asked).toEqual([{ chain: 'ETH', ids: ['wallet-1', 'wallet-2'] }]);
    expect(signer.signed.map((request) => request.keys)).toEqual([['key-1']]);
    expect(tatum.broadcasts).toEqual([{ path: 'ethereum', txData: 'signed(payload-a)by(key-1)#1', id: 'a' }]);
    expect(report).toMatchObject({ pending: 1, broadcast: 1, denied: 0, failed: 0, errors: [] });
    expect(outcomes).toEqual([{ chain: 'ETH', pendingId: 'a', outcome: 'signed', txId: 'tx-of-a' }]);
    expect(tatum.reported).toEqual([]);
  });

  it('does not sign a denied transaction and does not report it as an error', async () => {
    serve(tx('a'), tx('b'));
    approvals.denied.add('b');
    const report = await pipeline.runCycle();
    expect(signer.signed.map((request) => request.pendingId)).toEqual(['a']);
    expect(report).toMatchObject({ broadcast: 1, denied: 1, failed: 0 });
    expect(outcomes.find((event) => event.pendingId === 'b')).toEqual({
      chain: 'ETH',
      pendingId: 'b',
      outcome: 'denied',
      reason: 'the approval server answered HTTP 403',
    });
  });

  it.each([
    [
      'a wallet outside the cycle (testnet wallet on mainnet)',
      tx('x', { hashes: ['testnet-wallet'] }),
      /not one of the wallets/,
    ],
    ['an unknown wallet', tx('x', { hashes: ['nobody'] }), /not one of the wallets/],
    ['a transaction of another chain', tx('x', { chain: 'BTC' }), /it is a BTC transaction/],
    ['a payload the signer refuses', tx('x', { serializedTransaction: 'malformed' }), /not a transaction/],
  ])('fails %s, reports it in the batch, and goes on with the others', async (_case, bad, reason) => {
    serve(bad, tx('good'));
    const report = await pipeline.runCycle();
    expect(tatum.broadcasts.map((each) => each.id)).toEqual(['good']);
    expect(report).toMatchObject({ pending: 2, broadcast: 1, failed: 1 });
    expect(tatum.reported).toEqual([[{ signatureId: 'x', error: expect.stringMatching(reason) }]]);
    expect(outcomes.find((event) => event.pendingId === 'x')).toMatchObject({
      outcome: 'failed',
      reason: expect.stringMatching(reason),
    });
  });

  it('reports an item the API sent malformed by its id, with everything else of the cycle in one batch', async () => {
    tatum.pendingByChain.set('ETH', {
      transactions: [tx('bad-chain', { chain: 'BTC' })],
      invalid: [
        {
          id: 'broken',
          error: new InvalidPendingTxError('broken', 'serializedTransaction', 'must be a string'),
        },
      ],
    });
    const report = await pipeline.runCycle();
    expect(report.failed).toBe(2);
    expect(tatum.reported).toHaveLength(1);
    expect(tatum.reported[0].map((error) => error.signatureId).sort()).toEqual(['bad-chain', 'broken']);
  });

  it('sends the same bytes again after a broadcast whose outcome is unknown, never signing twice', async () => {
    serve(tx('a'));
    tatum.broadcastAnswers.push(new TatumApiError('POST /v3/ethereum/broadcast', 'http', 'HTTP 502', 502));
    expect((await pipeline.runCycle()).failed).toBe(1);
    expect((await pipeline.runCycle()).broadcast).toBe(1);
    expect(signer.signed).toHaveLength(1);
    expect(tatum.broadcasts.map((each) => each.txData)).toEqual([
      'signed(payload-a)by(key-1)#1',
      'signed(payload-a)by(key-1)#1',
    ]);
  });

  it.each([
    ['a 4xx answer', new TatumApiError('POST /v3/ethereum/broadcast', 'http', 'HTTP 400', 400)],
    ['failed: true', { txId: '', failed: true }],
  ])(
    'sends the same bytes again next cycle after a failed broadcast (%s), never signing twice',
    async (_case, answer) => {
      serve(tx('a'));
      tatum.broadcastAnswers.push(answer as BroadcastResult | Error);
      expect((await pipeline.runCycle()).failed).toBe(1);
      expect((await pipeline.runCycle()).broadcast).toBe(1);
      expect(signer.signed).toHaveLength(1);
      expect(tatum.broadcasts[1].txData).toBe(tatum.broadcasts[0].txData);
    },
  );

  it('records the signed transaction (sealed) before the broadcast, then its outcome, in one hash chain', async () => {
    serve(tx('a'));
    let recordedFirst = false;
    const broadcast = tatum.broadcast.bind(tatum);
    tatum.broadcast = async (...args) => {
      recordedFirst = (await entries()).some((entry) => entry.kind === 'signed' && entry.pendingId === 'a');
      return broadcast(...args);
    };
    await pipeline.runCycle();
    expect(recordedFirst).toBe(true);
    const all = await entries();
    expect(all.map((entry) => entry.kind)).toEqual(['claimed', 'signed', 'broadcast']);
    expect(all[1].payloadHash).toBe(payloadHash(tx('a')));
    expect(all[1].sealedTx).not.toContain('payload-a');
    expect(all[1].wallets).toEqual(['wallet-1']);
    expect(all[2]).toMatchObject({ txId: 'tx-of-a', replica: 'test-replica' });
    expect(await journal.verify()).toEqual({ ok: true, entries: 3 });
  });

  it('refuses a pending id served again with another payload, with a clear reason, and signs nothing', async () => {
    serve(tx('a'));
    await pipeline.runCycle();
    serve(tx('a', { serializedTransaction: 'another payload' }));
    const report = await pipeline.runCycle();
    expect(signer.signed).toHaveLength(1);
    expect(tatum.broadcasts).toHaveLength(1);
    expect(report).toMatchObject({ failed: 1, broadcast: 0 });
    expect(tatum.reported.flat()).toEqual([
      { signatureId: 'a', error: expect.stringMatching(/payload differs from the one signed for this id/) },
    ]);
    expect((await entries()).at(-1)).toMatchObject({ kind: 'refused', pendingId: 'a' });
  });

  it('skips, silently and counted, an id another replica holds', async () => {
    await journal.claimMany(
      [{ pendingId: 'a', chain: 'ETH', payloadHash: payloadHash(tx('a')) }],
      'other',
      60_000,
    );
    serve(tx('a'), tx('b'));
    const report = await pipeline.runCycle();
    expect(report).toMatchObject({ pending: 2, broadcast: 1, held: 1, failed: 0 });
    expect(signer.signed.map((request) => request.pendingId)).toEqual(['b']);
    expect(tatum.reported).toEqual([]);
  });

  it('refuses an id whose recorded transaction does not open (fail closed)', async () => {
    serve(tx('a'));
    tatum.broadcastAnswers.push(new TatumApiError('POST /v3/ethereum/broadcast', 'http', 'HTTP 502', 502));
    await pipeline.runCycle();
    pipeline.useJournal({ journal, sealer: await TxSealer.fromPassword('another password'), replica: 'r2' });
    const report = await pipeline.runCycle();
    expect(report).toMatchObject({ failed: 1, broadcast: 0 });
    expect(tatum.reported.at(-1)).toEqual([
      {
        signatureId: 'a',
        error: expect.stringMatching(/signing journal's record of this id cannot be read/),
      },
    ]);
    expect(signer.signed).toHaveLength(1);
  });

  it('signs nothing without a journal', async () => {
    const bare = new SigningPipeline(
      new ChainRegistry(undefined as never),
      store as unknown as WalletStore,
      tatum as unknown as TatumClient,
      approvals,
      { testnet: false, maxFees: {}, nodeUrls: {} } as unknown as KmsConfig,
    );
    expect(await bare.runCycle()).toMatchObject({
      failed: 1,
      storeProblem: expect.stringMatching(/journal/),
    });
  });

  it('a signer that submits itself records its transaction before submitting; a restart resubmits it, never re-signs', async () => {
    const submitted: string[] = [];
    const selfSubmitting = Object.assign(signer, {
      submitsItself: true,
      async signTransaction(request: SignRequest): Promise<string> {
        signer.signed.push(request);
        await request.beforeSubmit!({
          signedTx: `wire-of-${request.pendingId}`,
          txId: `sig-${request.pendingId}`,
        });
        submitted.push(`wire-of-${request.pendingId}`);
        throw new Error('killed while waiting for confirmation');
      },
      async resubmit(signedTx: string): Promise<string> {
        submitted.push(signedTx);
        return signedTx.replace('wire-of-', 'sig-');
      },
    });
    expect(selfSubmitting.submitsItself).toBe(true);
    serve(tx('a'));
    expect((await pipeline.runCycle()).failed).toBe(1);
    expect((await entries()).filter((entry) => entry.kind === 'signed')).toHaveLength(1);
    expect(await pipeline.runCycle()).toMatchObject({ broadcast: 1, failed: 0 });
    expect(signer.signed).toHaveLength(1);
    expect(submitted).toEqual(['wire-of-a', 'wire-of-a']);
    expect(tatum.broadcasts).toEqual([{ path: 'ethereum', txData: 'sig-a', id: 'a' }]);
  });

  it('groups the signed records of concurrent transactions into few journal commits', async () => {
    serve(...Array.from({ length: 100 }, (_, i) => tx(`t${i}`)));
    const commits: number[] = [];
    const record = journal.recordSignedMany.bind(journal);
    journal.recordSignedMany = async (records) => {
      commits.push(records.length);
      return record(records);
    };
    expect((await pipeline.runCycle()).broadcast).toBe(100);
    expect(commits.reduce((a, b) => a + b, 0)).toBe(100);
    expect(commits.length).toBeLessThan(20);
  });

  it('sends an off-chain withdrawal to the off-chain endpoint with its withdrawal id', async () => {
    serve(tx('w', { withdrawalId: 'withdrawal-7' }));
    await pipeline.runCycle();
    expect(tatum.offchain).toEqual([
      {
        currency: 'ETH',
        txData: 'signed(payload-w)by(key-1)#1',
        withdrawalId: 'withdrawal-7',
        signatureId: 'w',
      },
    ]);
    expect(outcomes).toEqual([
      { chain: 'ETH', pendingId: 'w', outcome: 'signed', txId: 'offchain-withdrawal-7' },
    ]);
  });

  it('takes an off-chain answer without txId as a completed withdrawal, not a failure', async () => {
    serve(tx('w', { withdrawalId: 'withdrawal-7' }));
    tatum.offchainAnswers.push({ completed: true });
    const report = await pipeline.runCycle();
    expect(report).toMatchObject({ broadcast: 1, failed: 0, errors: [] });
    expect(outcomes).toEqual([{ chain: 'ETH', pendingId: 'w', outcome: 'signed', txId: undefined }]);
    expect(tatum.reported).toEqual([]);
  });

  it("sends a withdrawal of a chain that declares no off-chain routing to the chain's own broadcast", async () => {
    signer.tatum = { broadcastPath: 'ethereum', offchainWithdrawals: false };
    serve(tx('w', { withdrawalId: 'withdrawal-7' }));
    await pipeline.runCycle();
    expect(tatum.offchain).toEqual([]);
    expect(tatum.broadcasts).toEqual([{ path: 'ethereum', txData: 'signed(payload-w)by(key-1)#1', id: 'w' }]);
  });

  it('ends a cycle whose pending call fails with apiProblem set, without throwing', async () => {
    tatum.pendingByChain.set('ETH', new TatumApiError('POST /v3/kms/pending/ETH', 'http', 'HTTP 403', 403));
    const report = await pipeline.runCycle();
    expect(report).toMatchObject({ failed: 1, apiProblem: expect.stringMatching(/^ETH: .*HTTP 403/) });
    expect(signer.signed).toEqual([]);
  });

  it('ends a cycle whose store cannot be read with storeProblem set, asking the API nothing', async () => {
    store.broken = new WrongPasswordError();
    const report = await pipeline.runCycle();
    expect(report).toMatchObject({ failed: 1, storeProblem: expect.any(String) });
    expect(tatum.asked).toEqual([]);
  });

  it('keeps the outcome of a cycle when reporting its failures fails', async () => {
    serve(tx('x', { hashes: ['nobody'] }));
    tatum.reportFails = true;
    await expect(pipeline.runCycle()).resolves.toMatchObject({ failed: 1 });
  });

  it('starts no new transaction once aborted; those already started finish', async () => {
    serve(...Array.from({ length: 200 }, (_, i) => tx(`t${i}`)));
    const stop = new AbortController();
    const approve = approvals.approve.bind(approvals);
    approvals.approve = async (subject) => {
      if (approvals.asked.length === 60) stop.abort();
      return approve(subject);
    };
    const report = await pipeline.runCycle({ signal: stop.signal });
    expect(report.broadcast).toBe(approvals.asked.length);
    expect(report.broadcast).toBeLessThan(200);
    expect(tatum.broadcasts).toHaveLength(report.broadcast);
  });

  it('honours --wallets and --transactionIds', async () => {
    serve(tx('a'), tx('b', { hashes: ['wallet-2'] }));
    await pipeline.runCycle({ wallets: ['wallet-2'] });
    expect(tatum.asked.at(-1)!.ids).toEqual(['wallet-2']);
    await pipeline.runCycle({ transactionIds: ['a'] });
    expect(approvals.asked.at(-1)).toBe('a');
  });
});

describe('SigningPipeline: the chain summary (describe) in signed approvals and the policy', () => {
  const TO_OK = '0x1111111111111111111111111111111111111111';
  const TO_OTHER = '0x2222222222222222222222222222222222222222';

  /** A signer whose describe names the recipient encoded in the payload (`payload-to:<address>`). */
  class DescribingSigner extends FakeSigner {
    described: DescribeRequest[] = [];
    async describe(request: DescribeRequest): Promise<TransactionSummary> {
      this.described.push(request);
      const to = request.serializedTransaction.replace(/^payload-to:/, '');
      return {
        chain: 'ETH',
        kind: 'token-transfer',
        from: [],
        to: [to],
        amounts: [{ asset: '0xtoken', value: '5' }],
      };
    }
  }

  class RecordingApprovals extends FakeApprovals {
    bindings: unknown[] = [];
    override async approve(tx: { id?: unknown }, options?: ApproveOptions): Promise<ApprovalDecision> {
      this.bindings.push(options?.binding);
      return super.approve(tx);
    }
  }

  let tatum: FakeTatum;
  let approvals: RecordingApprovals;
  let signer: DescribingSigner;
  let describeSealer: TxSealer;
  beforeAll(async () => {
    describeSealer = await TxSealer.fromPassword('describe-password');
  });
  const pipelineWith = (config: Partial<KmsConfig>) => {
    tatum = new FakeTatum();
    approvals = new RecordingApprovals();
    const store = new FakeStore();
    store.wallets.set('wallet-1', { chain: 'ETH', testnet: false, privateKey: 'key-1' });
    signer = new DescribingSigner();
    const chains = new ChainRegistry(undefined as never);
    chains.register('ETH', signer as unknown as ChainSigner);
    const pipeline = new SigningPipeline(
      chains,
      store as unknown as WalletStore,
      tatum as unknown as TatumClient,
      approvals,
      { testnet: false, maxFees: {}, nodeUrls: {}, ...config } as unknown as KmsConfig,
    );
    pipeline.useJournal({ journal: SqliteJournal.open(':memory:'), sealer: describeSealer, replica: 'r' });
    return pipeline;
  };
  const pending = (id: string, to: string) => tx(id, { serializedTransaction: `payload-to:${to}` });

  beforeAll(() => Logger.overrideLogger(false));
  afterAll(() => Logger.overrideLogger(new Logger()));

  it('a signed approval carries the summary describe made of the payload that is then signed', async () => {
    const pipeline = pipelineWith({ externalUrlMethod: 'SIGNED' } as Partial<KmsConfig>);
    tatum.pendingByChain.set('ETH', { transactions: [pending('a', TO_OK)], invalid: [] });
    await pipeline.runCycle();
    expect(signer.described).toEqual([
      { pendingId: 'a', serializedTransaction: `payload-to:${TO_OK}`, testnet: false, withdrawal: false },
    ]);
    expect(approvals.bindings).toEqual([
      {
        chain: 'ETH',
        payloadHash: expect.stringMatching(/^[0-9a-f]{64}$/),
        summary: expect.objectContaining({ to: [TO_OK], amounts: [{ asset: '0xtoken', value: '5' }] }),
      },
    ]);
    expect(signer.signed.map((request) => request.serializedTransaction)).toEqual([`payload-to:${TO_OK}`]);
  });

  it('the policy decides on the described recipient: allow-listed signs, anything else is denied', async () => {
    const pipeline = pipelineWith({});
    pipeline.usePolicy(
      parsePolicy(`rules:\n  - name: allow-list\n    to: ["${TO_OK}"]\n    action: allow\n`),
      new InMemoryUsage(),
    );
    const decisions: string[] = [];
    pipeline.observe({
      policyDecided: (chain, rule, action) => decisions.push(`${chain} ${rule} ${action}`),
    });
    tatum.pendingByChain.set('ETH', {
      transactions: [pending('ok', TO_OK), pending('other', TO_OTHER)],
      invalid: [],
    });
    const report = await pipeline.runCycle();
    expect(signer.signed.map((request) => request.pendingId)).toEqual(['ok']);
    expect(report).toMatchObject({ broadcast: 1, denied: 1 });
    expect(approvals.asked).toEqual([]);
    // what kms_policy_decisions_total counts: each decision with its rule
    expect(decisions.sort()).toEqual(['ETH allow-list allow', 'ETH default deny']);
  });
});
