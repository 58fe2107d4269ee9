import { address, getBase58Decoder, getTransactionDecoder, lamports } from '@solana/kit';
import { FailedTransactionMetadata, LiteSVM } from 'litesvm';
import type { ChainNetwork, NodeRestAnswer, NodeRestRequest, NodeRpcRequest } from '@kms/chains';

/** A JSON-RPC error as a Solana node (through Tatum's gateway) would answer it. */
export class LiteSvmRpcError extends Error {
  constructor(
    readonly rpcCode: number,
    message: string,
  ) {
    super(message);
  }
}

export interface LiteSvmNetworkOptions {
  /** Rewrites the wire transaction before the "node" reads it (e.g. flips a signature byte). */
  tamper?: (wire: Uint8Array) => Uint8Array;
  /** Behave as if preflight let every transaction through: failures then show up in the status only. */
  ignorePreflight?: boolean;
  /** Answer `null` to this many status requests for a landed transaction before `confirmed`. */
  pollsBeforeConfirmed?: number;
  /**
   * Every `getLatestBlockhash` answers a new blockhash, as a live chain does between two daemon
   * cycles (LiteSVM otherwise keeps one until told to expire it).
   */
  freshBlockhashes?: boolean;
}

/** A recorded transaction: `err` is null when it executed, else LiteSVM's error text. */
interface Landed {
  err: string | null;
  polls: number;
}

/**
 * The Solana JSON-RPC subset the SOL signer uses, served by an in-process LiteSVM (a real SVM: it
 * verifies signatures, blockhashes and fees and runs the system program). `sendTransaction` runs a
 * preflight simulation (a failure is a JSON-RPC error: -32003 for a bad signature, -32002 otherwise,
 * and nothing executes), then executes the transaction at once and records its outcome for
 * `getSignatureStatuses`. Every call is kept in `calls`.
 */
export class LiteSvmNetwork implements ChainNetwork {
  readonly svm = new LiteSVM();
  readonly calls: Array<{ method: string; params: unknown[] }> = [];
  /** Raw wire transactions as received, before `tamper`. */
  readonly received: Uint8Array[] = [];
  private readonly landed = new Map<string, Landed>();

  constructor(private readonly options: LiteSvmNetworkOptions = {}) {}

  airdrop(to: string, amount: bigint): void {
    const result = this.svm.airdrop(address(to), lamports(amount));
    if (result === null || result instanceof FailedTransactionMetadata)
      throw new Error(`airdrop failed: ${String(result)}`);
  }

  balance(of: string): bigint {
    return this.svm.getBalance(address(of)) ?? 0n;
  }

  async tatum(method: string, path: string): Promise<unknown> {
    throw new Error(`SOL signing calls no Tatum API endpoint (asked ${method} ${path})`);
  }

  node(node: string, request: NodeRpcRequest): Promise<unknown>;
  node(node: string, request: NodeRestRequest): Promise<NodeRestAnswer>;
  async node(node: string, request: NodeRpcRequest | NodeRestRequest): Promise<unknown> {
    if (!('rpc' in request)) throw new Error('a Solana node speaks JSON-RPC only');
    return this.rpc(node, request.rpc, (request.params ?? []) as unknown[]);
  }

  async rpc(chain: string, method: string, params: unknown[]): Promise<unknown> {
    if (chain !== 'SOL') throw new Error(`LiteSvmNetwork serves SOL, not ${chain}`);
    this.calls.push({ method, params });
    const slot = Number(this.svm.getClock().slot);
    switch (method) {
      case 'getLatestBlockhash':
        if (this.options.freshBlockhashes) this.svm.expireBlockhash();
        return {
          context: { slot },
          value: { blockhash: this.svm.latestBlockhash(), lastValidBlockHeight: slot + 150 },
        };
      case 'getBlockHeight':
        return slot;
      case 'sendTransaction':
        return this.send(params);
      case 'getSignatureStatuses':
        return {
          context: { slot },
          value: (params[0] as string[]).map((signature) => this.status(signature, slot)),
        };
      default:
        throw new LiteSvmRpcError(-32601, `Method not found: ${method}`);
    }
  }

  private send(params: unknown[]): string {
    const [encoded, config] = params as [string, { encoding?: string; skipPreflight?: boolean }];
    if (config?.encoding !== 'base64') throw new LiteSvmRpcError(-32602, 'expected base64 encoding');
    this.received.push(Buffer.from(encoded, 'base64'));
    const wire = this.options.tamper?.(Buffer.from(encoded, 'base64')) ?? Buffer.from(encoded, 'base64');
    let transaction;
    try {
      transaction = getTransactionDecoder().decode(wire);
    } catch (error) {
      throw new LiteSvmRpcError(-32602, `failed to deserialize the transaction: ${String(error)}`);
    }
    const firstSignature = Object.values(transaction.signatures)[0];
    const signature = firstSignature ? getBase58Decoder().decode(firstSignature) : '';
    if (!(config.skipPreflight || this.options.ignorePreflight)) {
      const simulated = this.svm.simulateTransaction(transaction);
      if (simulated instanceof FailedTransactionMetadata) rejected(errorText(simulated));
    }
    const result = this.svm.sendTransaction(transaction);
    const err = result instanceof FailedTransactionMetadata ? errorText(result) : null;
    if (err === 'SignatureFailure') rejected(err);
    this.landed.set(signature, { err, polls: 0 });
    return signature;
  }

  private status(signature: string, slot: number): unknown {
    const landed = this.landed.get(signature);
    if (landed === undefined) return null;
    if (landed.polls++ < (this.options.pollsBeforeConfirmed ?? 0)) return null;
    return {
      slot,
      confirmations: null,
      err: landed.err === null ? null : { LiteSVM: landed.err },
      status: landed.err === null ? { Ok: null } : { Err: { LiteSVM: landed.err } },
      confirmationStatus: 'finalized',
    };
  }
}

/** Preflight's answer: a bad signature is rejected as such, any other failure as a failed simulation. */
function rejected(err: string): never {
  if (err === 'SignatureFailure')
    throw new LiteSvmRpcError(-32003, 'Transaction signature verification failure');
  throw new LiteSvmRpcError(-32002, `Transaction simulation failed: ${err}`);
}

/** The `err` of LiteSVM's failure description, e.g. `InstructionError(0, Custom(1))`. */
function errorText(failure: FailedTransactionMetadata): string {
  return /\berr: (.*?), meta:/.exec(failure.toString())?.[1] ?? failure.toString();
}
