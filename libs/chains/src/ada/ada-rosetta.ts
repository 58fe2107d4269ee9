import { hexToBytes } from '@noble/hashes/utils.js';
import type { ChainNetwork } from '../chain-network.port';
import { InvalidNetworkAnswerError } from '../chains.errors';

/** The Rosetta Construction API calls that signing an ADA transfer makes, in this order. */
export type AdaRosettaPath =
  'construction/preprocess' | 'construction/metadata' | 'construction/payloads' | 'construction/combine';

/** Tatum's node names of the Cardano Rosetta gateway: mainnet, and preprod for testnet. */
export type AdaRosettaNode = 'cardano-mainnet' | 'cardano-preprod';

/** Calls of one signing: node and network identifier fixed by `testnet`, answers checked to be objects. */
export interface AdaRosettaSession {
  networkIdentifier: { blockchain: 'cardano'; network: 'mainnet' | 'preprod' };
  call(path: AdaRosettaPath, body: object): Promise<Record<string, unknown>>;
}

/**
 * POSTs to a Cardano Rosetta node: TATUM_KMS_NODE_URL_CARDANO_MAINNET / _CARDANO_PREPROD when set,
 * else Tatum's gateway `POST /v3/blockchain/node/{node}/{apiKey}/{path}`, which Tatum's SDK v2 reaches
 * through `NodeRpcService.nodeJsonPostRpcDriver(apiKey, node, path, body)`.
 */
export function adaRosettaSession(network: ChainNetwork, testnet: boolean): AdaRosettaSession {
  const node: AdaRosettaNode = testnet ? 'cardano-preprod' : 'cardano-mainnet';
  return {
    networkIdentifier: { blockchain: 'cardano', network: testnet ? 'preprod' : 'mainnet' },
    async call(path, body) {
      const { status, body: answer } = await network.node(node, {
        method: 'POST',
        path,
        body,
        once: path === 'construction/combine',
        fallback: { tatumPath: `/v3/blockchain/node/${node}/{apiKey}` },
      });
      if (
        status < 200 ||
        status >= 300 ||
        typeof answer !== 'object' ||
        answer === null ||
        Array.isArray(answer)
      ) {
        throw new InvalidNetworkAnswerError('ADA', `answer to ${path}`);
      }
      return answer as Record<string, unknown>;
    },
  };
}

/**
 * The transaction bytes inside a Rosetta `unsigned_transaction` or `signed_transaction` of Cardano
 * Rosetta: hex of the CBOR array `[<hex of the transaction body or transaction, as a text string>,
 * <extra data>]` (cardano-rosetta's encodeExtraData). The extra data is not read. Throws
 * InvalidNetworkAnswerError naming `what` when the text is not of this form.
 */
export function decodeRosettaEnvelope(envelope: unknown, what: string): Uint8Array {
  const fail = () => new InvalidNetworkAnswerError('ADA', what);
  if (typeof envelope !== 'string' || envelope.length % 2 !== 0 || !/^[0-9a-fA-F]+$/.test(envelope))
    throw fail();
  const bytes = hexToBytes(envelope.toLowerCase());
  // 0x82: array of 2 items; then a definite-length text string (major type 3).
  if (bytes.length < 2 || bytes[0] !== 0x82 || bytes[1] >> 5 !== 3) throw fail();
  const info = bytes[1] & 0x1f;
  const sizeBytes = info < 24 ? 0 : info === 24 ? 1 : info === 25 ? 2 : info === 26 ? 4 : -1;
  if (sizeBytes < 0 || bytes.length < 2 + sizeBytes) throw fail();
  let length = info < 24 ? info : 0;
  for (let i = 0; i < sizeBytes; i++) length = length * 256 + bytes[2 + i];
  const start = 2 + sizeBytes;
  if (bytes.length <= start + length) throw fail(); // the extra data must follow
  const text = Buffer.from(bytes.subarray(start, start + length)).toString('latin1');
  if (text.length === 0 || text.length % 2 !== 0 || !/^[0-9a-fA-F]+$/.test(text)) throw fail();
  return hexToBytes(text.toLowerCase());
}
