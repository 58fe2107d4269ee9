import type { ChainNetwork } from '../chain-network.port';
import { InvalidNetworkAnswerError } from '../chains.errors';
import type { EvmChain } from './evm-chains';

/**
 * The EVM signer's calls, on the generic ChainNetwork: the nonce and the ETH fee through the Tatum
 * API, everything else through the chain's node (Tatum's gateway or TATUM_KMS_NODE_URL_<CHAIN>).
 */
export class EvmNetwork {
  constructor(
    private readonly row: EvmChain,
    private readonly network: ChainNetwork,
  ) {}

  /**
   * `GET /v3/{noncePath}/transaction/count/{address}` with the 0x form of the address, as Tatum's SDK
   * asks it (XDC too: web3's defaultAccount is 0x). The API answers a number (some gateways: a
   * decimal string).
   */
  async nonce(address0x: string): Promise<unknown> {
    const answer = await this.network.tatum(
      'GET',
      `/v3/${this.row.tatum.noncePath}/transaction/count/${encodeURIComponent(address0x)}`,
    );
    return typeof answer === 'string' && /^\d+$/.test(answer) ? Number(answer) : answer;
  }

  /**
   * A gas price in wei for a transaction that has none (or 0), as Tatum's SDK gets it: ETH the
   * `medium` of `GET /v3/blockchain/fee/ETH` (the API serves that endpoint for ETH, BTC, LTC and
   * DOGE only), every other EVM chain its node's `eth_gasPrice`.
   */
  async gasPrice(): Promise<unknown> {
    if (this.row.gasPriceSource === 'node') return this.rpc('eth_gasPrice', []);
    const fees = await this.network.tatum('GET', `/v3/blockchain/fee/${this.row.chain}`);
    const medium = (fees as { medium?: unknown } | null)?.medium;
    const text =
      typeof medium === 'number' ? String(medium) : typeof medium === 'string' ? medium.trim() : '';
    if (/^\d+$/.test(text)) return BigInt(text).toString();
    const number = Number(text);
    if (text === '' || !Number.isFinite(number) || number < 0) {
      throw new InvalidNetworkAnswerError(this.row.chain, 'medium fee');
    }
    return BigInt(Math.ceil(number)).toString();
  }

  /** A JSON-RPC call to the chain's node. */
  rpc(method: string, params: unknown[]): Promise<unknown> {
    return this.network.node(this.row.chain, {
      rpc: method,
      params,
      fallback: { tatumPath: `/v3/blockchain/node/${this.row.chain}/{apiKey}` },
    });
  }
}
