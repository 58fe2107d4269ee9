import { KmsError } from '@kms/common';
import { base58 } from '@scure/base';
import {
  Keypair,
  PublicKey,
  SystemProgram,
  Transaction,
  VersionedTransaction,
  TransactionMessage,
} from '@solana/web3.js';
import type { ChainNetwork, NodeRestAnswer, NodeRestRequest, NodeRpcRequest } from '../chain-network.port';
import { SolanaSigner } from './solana.signer';

/**
 * SolanaSigner.signTransaction against a scripted node: input validation (nothing reaches the node),
 * node answers that do not fit, and the confirmation wait (polling, failure, expiry, timeout).
 * The real SVM path is test/sol-litesvm.e2e-spec.ts.
 */
const wallet = Keypair.generate();
const WALLET_KEY = base58.encode(wallet.secretKey);
const FRESH_BLOCKHASH = base58.encode(new Uint8Array(32).fill(9));
const LAST_VALID = 1_000;

function messageHex(feePayer: PublicKey = wallet.publicKey): string {
  return new Transaction({ feePayer, recentBlockhash: base58.encode(new Uint8Array(32).fill(1)) })
    .add(
      SystemProgram.transfer({
        fromPubkey: wallet.publicKey,
        toPubkey: Keypair.generate().publicKey,
        lamports: 5_000,
      }),
    )
    .serializeMessage()
    .toString('hex');
}

const PAYLOAD = JSON.stringify({ txData: messageHex() });

type Status = { err?: unknown; confirmationStatus?: string | null; confirmations?: number | null } | null;

/** A node that answers a valid blockhash, echoes the signature on send, and gives `statuses` in turn (the last repeats). */
class ScriptedNode implements ChainNetwork {
  readonly methods: string[] = [];
  readonly params: Array<{ method: string; params: unknown[] }> = [];
  blockhash: unknown = {
    context: { slot: 1 },
    value: { blockhash: FRESH_BLOCKHASH, lastValidBlockHeight: LAST_VALID },
  };
  sendAnswer?: string;
  height = 10;

  constructor(
    private readonly statuses: Status[] = [{ confirmationStatus: 'confirmed', err: null, confirmations: 1 }],
  ) {}

  tatum(): Promise<unknown> {
    throw new Error('unused');
  }

  node(node: string, request: NodeRpcRequest): Promise<unknown>;
  node(node: string, request: NodeRestRequest): Promise<NodeRestAnswer>;
  async node(node: string, request: NodeRpcRequest | NodeRestRequest): Promise<unknown> {
    if (!('rpc' in request)) throw new Error('a Solana node speaks JSON-RPC');
    expect(request.fallback).toEqual({ tatumPath: '/v3/blockchain/node/SOL/{apiKey}' });
    expect(request.once).toBe(request.rpc === 'sendTransaction');
    return this.rpc(node, request.rpc, (request.params ?? []) as unknown[]);
  }

  /** From now on, answer these statuses in turn (the last repeats). */
  setStatuses(statuses: Status[]): void {
    this.statuses.splice(0, this.statuses.length, ...statuses);
  }

  async rpc(chain: string, method: string, params: unknown[]): Promise<unknown> {
    expect(chain).toBe('SOL');
    this.methods.push(method);
    this.params.push({ method, params });
    switch (method) {
      case 'getLatestBlockhash':
        return this.blockhash;
      case 'sendTransaction':
        return this.sendAnswer ?? base58.encode(Buffer.from(params[0] as string, 'base64').subarray(1, 65));
      case 'getSignatureStatuses':
        return {
          context: { slot: 2 },
          value: [this.statuses.length > 1 ? this.statuses.shift() : this.statuses[0]],
        };
      case 'getBlockHeight':
        return this.height;
      default:
        throw new Error(`unexpected ${method}`);
    }
  }
}

function sign(
  serializedTransaction: string,
  network: ChainNetwork,
  keys = [WALLET_KEY],
  signer = new SolanaSigner({ pollIntervalMs: 1 }),
) {
  return signer.signTransaction({ serializedTransaction, keys, withdrawal: false, testnet: false, network });
}

async function rejection(promise: Promise<unknown>): Promise<KmsError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(KmsError);
  return error as KmsError;
}

describe('SolanaSigner.signTransaction', () => {
  it('signs with the fresh blockhash, submits, waits for confirmed and returns the signature', async () => {
    const node = new ScriptedNode([
      null,
      { confirmationStatus: 'processed', err: null },
      { confirmationStatus: 'confirmed', err: null },
    ]);
    const signature = await sign(PAYLOAD, node);
    expect(base58.decode(signature)).toHaveLength(64);
    expect(node.methods).toEqual([
      'getLatestBlockhash',
      'sendTransaction',
      'getSignatureStatuses',
      'getBlockHeight',
      'getSignatureStatuses',
      'getSignatureStatuses',
    ]);
  });

  it('takes a rooted status without confirmationStatus (confirmations: null) as confirmed', async () => {
    const signature = await sign(PAYLOAD, new ScriptedNode([{ confirmations: null, err: null }]));
    expect(base58.decode(signature)).toHaveLength(64);
  });

  const mintKey = base58.encode(Keypair.generate().secretKey);
  it.each([
    ['not JSON', `{"txData": "00", "mintPK": "${mintKey}"`, 'not JSON'],
    ['a JSON array', '["00"]', 'not a JSON object'],
    ['without txData', '{}', 'txData is not the hex'],
    ['txData of odd length', JSON.stringify({ txData: messageHex().slice(1) }), 'txData is not the hex'],
    ['txData not hex', JSON.stringify({ txData: `${messageHex().slice(2)}zz` }), 'txData is not the hex'],
    ['txData not a message', JSON.stringify({ txData: '0100' }), 'not a serialized Solana message'],
    [
      'txData with trailing bytes',
      JSON.stringify({ txData: `${messageHex()}00` }),
      'not a serialized Solana message',
    ],
    [
      'a mintPK that is not a key',
      JSON.stringify({ txData: messageHex(), mintPK: mintKey.slice(0, 40) }),
      'mintPK is not',
    ],
    ['a mintPK that is a number', JSON.stringify({ txData: messageHex(), mintPK: 5 }), 'mintPK is not'],
    ['a mintPK that signs nothing', JSON.stringify({ txData: messageHex(), mintPK: mintKey }), 'mintPK ('],
    [
      'a fee payer that is not the wallet',
      JSON.stringify({ txData: messageHex(Keypair.generate().publicKey) }),
      'needs a signature of',
    ],
  ])(
    'rejects a payload with %s before contacting the node, quoting no key',
    async (_case, payload, reason) => {
      const node = new ScriptedNode();
      const error = await rejection(sign(payload, node));
      expect(error.code).toBe('INVALID_PENDING_TX');
      expect(error.message).toContain(reason);
      for (const key of [WALLET_KEY, mintKey]) expect(error.message).not.toContain(key.slice(5, 15));
      expect(node.methods).toEqual([]);
    },
  );

  it('rejects a versioned (v0) message as such', async () => {
    const message = new TransactionMessage({
      payerKey: wallet.publicKey,
      recentBlockhash: FRESH_BLOCKHASH,
      instructions: [
        SystemProgram.transfer({ fromPubkey: wallet.publicKey, toPubkey: wallet.publicKey, lamports: 1 }),
      ],
    }).compileToV0Message();
    const txData = Buffer.from(new VersionedTransaction(message).message.serialize()).toString('hex');
    const error = await rejection(sign(JSON.stringify({ txData }), new ScriptedNode()));
    expect(error.message).toContain('versioned message');
  });

  it('rejects a wallet key that is not the signer, or none at all, or a bad one', async () => {
    const other = base58.encode(Keypair.generate().secretKey);
    expect((await rejection(sign(PAYLOAD, new ScriptedNode(), [other]))).message).toContain(
      wallet.publicKey.toBase58(),
    );
    expect((await rejection(sign(PAYLOAD, new ScriptedNode(), []))).code).toBe('INVALID_PENDING_TX');
    const bad = await rejection(sign(PAYLOAD, new ScriptedNode(), [WALLET_KEY.slice(0, 60)]));
    expect(bad.code).toBe('INVALID_PRIVATE_KEY');
    expect(bad.message).not.toContain(WALLET_KEY.slice(5, 15));
  });

  it('rejects a node answer without a valid blockhash, before sending', async () => {
    const node = new ScriptedNode();
    node.blockhash = { value: { blockhash: 'not-base58!', lastValidBlockHeight: 5 } };
    expect((await rejection(sign(PAYLOAD, node))).code).toBe('SOL_NODE_ANSWER');
    expect(node.methods).toEqual(['getLatestBlockhash']);
  });

  it('rejects a send answer with another signature', async () => {
    const node = new ScriptedNode();
    node.sendAnswer = base58.encode(new Uint8Array(64).fill(3));
    expect((await rejection(sign(PAYLOAD, node))).code).toBe('SOL_NODE_ANSWER');
  });

  it('reports an error status as SOL_FAILED with the signature and the error', async () => {
    const error = await rejection(
      sign(
        PAYLOAD,
        new ScriptedNode([
          { err: { InstructionError: [0, { Custom: 1 }] }, confirmationStatus: 'confirmed' },
        ]),
      ),
    );
    expect(error.code).toBe('SOL_FAILED');
    expect(error.message).toContain('{"InstructionError":[0,{"Custom":1}]}');
    expect(base58.decode((error as unknown as { signature: string }).signature)).toHaveLength(64);
  });

  it('reports SOL_EXPIRED once the block height passed the blockhash validity without it', async () => {
    const node = new ScriptedNode([null]);
    node.height = LAST_VALID + 1;
    const error = await rejection(sign(PAYLOAD, node));
    expect(error.code).toBe('SOL_EXPIRED');
    expect(node.methods.slice(-3)).toEqual([
      'getSignatureStatuses',
      'getBlockHeight',
      'getSignatureStatuses',
    ]);
  });

  it('gives up after the confirmation timeout, saying it may still land', async () => {
    const node = new ScriptedNode([null]);
    const signer = new SolanaSigner({ confirmationTimeoutMs: 150, pollIntervalMs: 20 });
    const started = Date.now();
    const error = await rejection(sign(PAYLOAD, node, [WALLET_KEY], signer));
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(error.code).toBe('SOL_TIMEOUT');
    expect(error.message).toMatch(/not confirmed within 0\.15 s; it may still land/);
    expect(node.methods.filter((method) => method === 'getSignatureStatuses').length).toBeGreaterThan(2);
  });

  describe('one pending id, never two transactions', () => {
    const CONFIRMED: Status = { confirmationStatus: 'confirmed', err: null, confirmations: 1 };
    const signer = () => new SolanaSigner({ confirmationTimeoutMs: 30, pollIntervalMs: 5 });
    const attempt = (node: ChainNetwork, solana: SolanaSigner, pendingId = 'pending-1') =>
      solana.signTransaction({
        pendingId,
        serializedTransaction: PAYLOAD,
        keys: [WALLET_KEY],
        withdrawal: false,
        testnet: false,
        network: node,
      });
    const sends = (node: ScriptedNode) => node.methods.filter((m) => m === 'sendTransaction').length;

    it('after a timeout, the retry answers SOL_TIMEOUT while it may land, then its signature once confirmed', async () => {
      const node = new ScriptedNode([null]);
      const solana = signer();
      const first = await rejection(attempt(node, solana));
      expect(first.code).toBe('SOL_TIMEOUT');
      const signature = (first as unknown as { signature: string }).signature;

      const again = await rejection(attempt(node, solana));
      expect(again.code).toBe('SOL_TIMEOUT');
      expect(again.message).toContain('no second one is sent');
      expect(sends(node)).toBe(1);

      node.setStatuses([CONFIRMED]);
      expect(await attempt(node, solana)).toBe(signature);
      expect(sends(node)).toBe(1);
      // Confirmed and forgotten: a later attempt for that id is sent anew.
      await attempt(node, solana);
      expect(sends(node)).toBe(2);
    });

    it('the earlier check searches the whole history, so a confirmed transaction never looks unknown', async () => {
      const node = new ScriptedNode([null]);
      const solana = signer();
      await rejection(attempt(node, solana));
      node.setStatuses([null]);
      await rejection(attempt(node, solana));
      expect(node.params.filter((p) => p.method === 'getSignatureStatuses').slice(-1)[0].params[1]).toEqual({
        searchTransactionHistory: true,
      });
    });

    it('once its blockhash expired without it, a new transaction is sent', async () => {
      const node = new ScriptedNode([null]);
      const solana = signer();
      await rejection(attempt(node, solana));
      node.height = LAST_VALID + 1;
      node.setStatuses([null, null, CONFIRMED]);
      await attempt(node, solana);
      expect(sends(node)).toBe(2);
    });

    it('an earlier one that failed on chain is reported once, then a new attempt is made', async () => {
      const node = new ScriptedNode([null]);
      const solana = signer();
      await rejection(attempt(node, solana));
      node.setStatuses([{ err: { InstructionError: [0, 'Custom'] }, confirmationStatus: 'confirmed' }]);
      expect((await rejection(attempt(node, solana))).code).toBe('SOL_FAILED');
      node.setStatuses([CONFIRMED]);
      await attempt(node, solana);
      expect(sends(node)).toBe(2);
    });

    it('a failure on chain is final: the next attempt sends a new one; other pending ids are independent', async () => {
      const node = new ScriptedNode([
        { err: { InstructionError: [0, 'Custom'] }, confirmationStatus: 'confirmed' },
      ]);
      const solana = signer();
      expect((await rejection(attempt(node, solana))).code).toBe('SOL_FAILED');
      node.setStatuses([null]);
      await rejection(attempt(node, solana)); // sent again, now times out
      node.setStatuses([CONFIRMED]);
      await attempt(node, solana, 'pending-2');
      expect(sends(node)).toBe(3);
    });
  });
});
