import { randomBytes } from 'node:crypto';
import { base58 } from '@scure/base';

/** An EVM account's next nonce as the sandbox reports it. */
const DEMO_NONCE = 42;
/** Gas prices in wei, as Tatum's fee endpoint answers them. */
const DEMO_FEES = { slow: '18000000000', medium: '22000000000', fast: '26000000000', baseFee: '17000000000' };

/**
 * The node behind the sandbox's node gateway (JSON-RPC): just enough of a Solana node for the SOL
 * signer (a fresh blockhash, `sendTransaction` recorded and confirmed at once) and of an EVM node
 * (chain id, gas). Submitted transactions go nowhere: they are kept for the sandbox's checks.
 */
export class SandboxNode {
  readonly nonce = DEMO_NONCE;
  readonly fees = DEMO_FEES;
  /** Solana transactions submitted, wire bytes by their id (the fee payer's signature, base58). */
  readonly solanaSubmissions = new Map<string, Uint8Array>();
  private readonly blockhash = base58.encode(randomBytes(32));

  /** The JSON-RPC answer (one call or a batch) for `chain`. */
  answer(chain: string, body: unknown): unknown {
    const one = (call: unknown) => {
      const {
        id = null,
        method,
        params,
      } = (call ?? {}) as { id?: unknown; method?: unknown; params?: unknown };
      try {
        const result = this.call(chain, String(method), Array.isArray(params) ? params : []);
        return { jsonrpc: '2.0', id, result };
      } catch (error) {
        return { jsonrpc: '2.0', id, error: { code: -32602, message: (error as Error).message } };
      }
    };
    return Array.isArray(body) ? body.map(one) : one(body);
  }

  private call(chain: string, method: string, params: unknown[]): unknown {
    if (chain === 'SOL') return this.solana(method, params);
    switch (method) {
      case 'eth_chainId':
        return '0x1';
      case 'eth_gasPrice':
        return `0x${BigInt(DEMO_FEES.fast).toString(16)}`;
      case 'eth_maxPriorityFeePerGas':
        return '0x3b9aca00';
      case 'eth_estimateGas':
        return '0xfde8';
      default:
        throw new Error(`the sandbox node has no ${method}`);
    }
  }

  private solana(method: string, params: unknown[]): unknown {
    switch (method) {
      case 'getLatestBlockhash':
        return {
          context: { slot: 310_000_000 },
          value: { blockhash: this.blockhash, lastValidBlockHeight: 290_000_150 },
        };
      case 'getBlockHeight':
        return 290_000_000;
      case 'sendTransaction': {
        const wire = Buffer.from(String(params[0]), 'base64');
        // a transaction starts with the number of its signatures (one byte below 128), then them
        if (wire.length < 65 || wire[0] === 0 || wire[0] > 127) throw new Error('invalid transaction');
        const signature = base58.encode(wire.subarray(1, 65));
        this.solanaSubmissions.set(signature, new Uint8Array(wire));
        return signature;
      }
      case 'getSignatureStatuses': {
        const signatures = Array.isArray(params[0]) ? params[0] : [];
        return {
          context: { slot: 310_000_001 },
          value: signatures.map((signature) =>
            this.solanaSubmissions.has(String(signature))
              ? { slot: 310_000_001, confirmations: 0, err: null, confirmationStatus: 'confirmed' }
              : null,
          ),
        };
      }
      default:
        throw new Error(`the sandbox node has no ${method}`);
    }
  }
}
