import { scriptedChainNetwork } from '@kms/test-support/scripted-chain-network';
import { SolanaSigner } from './solana.signer';

/**
 * SolanaSigner.resubmit: a transaction recorded through beforeSubmit (by a process that may have
 * died) is looked up with the node's whole history, sent again with the SAME bytes only while the
 * node has not seen it and its blockhash is valid, and never replaced by a new signature.
 */
describe('SolanaSigner.resubmit', () => {
  const signature = '5'.repeat(88);
  const recorded = JSON.stringify({
    wire: Buffer.from('wire-bytes').toString('base64'),
    signature,
    lastValidBlockHeight: 500,
  });

  /** A node answering statuses from `landed`, at block height `height`; sendTransaction lands it. */
  function node(height: number, landed: boolean) {
    const calls: Array<{ method: string; params: unknown[] }> = [];
    let onChain = landed;
    const network = scriptedChainNetwork({
      rpc: (_node, method, params) => {
        calls.push({ method, params: params as unknown[] });
        if (method === 'getSignatureStatuses')
          return { value: [onChain ? { err: null, confirmationStatus: 'confirmed' } : null] };
        if (method === 'getBlockHeight') return height;
        if (method === 'sendTransaction') {
          onChain = true;
          return signature;
        }
        throw new Error(`unexpected ${method}`);
      },
    });
    return { network, calls };
  }
  const signer = new SolanaSigner({ pollIntervalMs: 1, confirmationTimeoutMs: 1_000 });

  it('a transaction already on chain: its signature, nothing sent', async () => {
    const { network, calls } = node(100, true);
    await expect(signer.resubmit(recorded, { network, testnet: true })).resolves.toBe(signature);
    expect(calls.some((call) => call.method === 'sendTransaction')).toBe(false);
  });

  it('never seen and still valid (killed before sending): the same bytes sent, its signature', async () => {
    const { network, calls } = node(100, false);
    await expect(signer.resubmit(recorded, { network, testnet: true })).resolves.toBe(signature);
    const sent = calls.filter((call) => call.method === 'sendTransaction');
    expect(sent).toHaveLength(1);
    expect(sent[0].params[0]).toBe(Buffer.from('wire-bytes').toString('base64'));
    expect(calls.some((call) => call.method === 'getLatestBlockhash')).toBe(false);
  });

  it('never seen and expired: refused, never signed again', async () => {
    const { network, calls } = node(501, false);
    await expect(signer.resubmit(recorded, { network, testnet: true })).rejects.toThrow(
      /expired before it landed; it is never signed again/,
    );
    expect(calls.some((call) => call.method === 'sendTransaction')).toBe(false);
  });

  it('a record that is not a SOL transaction is refused', async () => {
    const { network } = node(100, false);
    await expect(signer.resubmit('{"body":{}}', { network, testnet: true })).rejects.toThrow(
      /not a SOL transaction/,
    );
  });
});
