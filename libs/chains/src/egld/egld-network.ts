import type { ChainNetwork } from '../chain-network.port';
import type { EgldNetworkConfig, EgldUnsignedTransaction } from './egld-transaction';

/**
 * MultiversX gateway calls of the EGLD signer: TATUM_KMS_NODE_URL_EGLD when set, else Tatum's
 * `/v3/egld/node/{apiKey}/...`, the base Tatum's SDK uses (tatum-js v1 src/transaction/egld.ts,
 * ELROND_V3_ENDPOINT). Answers are MultiversX's `{data: {...}, code, error}`; values are returned
 * unchecked (the signer validates them).
 */
export class EgldNetwork {
  constructor(private readonly network: ChainNetwork) {}

  /** `GET address/{address}/nonce` -> `data.nonce` (tatum-js v1 egldGetTxsCount). */
  async nonce(address: string): Promise<unknown> {
    return (await this.get(`address/${encodeURIComponent(address)}/nonce`))?.nonce;
  }

  /** `GET network/config` -> `data.config` (tatum-js v1 egldGetConfig). */
  async config(): Promise<Partial<Record<keyof EgldNetworkConfig, unknown>>> {
    const config = (await this.get('network/config'))?.config as Record<string, unknown> | undefined;
    return {
      chainId: config?.erd_chain_id,
      minGasPrice: config?.erd_min_gas_price,
      minTransactionVersion: config?.erd_min_transaction_version,
    };
  }

  /** `POST transaction/cost` -> `data.txGasUnits` (tatum-js v1 egldGetGasLimit). */
  async transactionCost(transaction: EgldUnsignedTransaction): Promise<unknown> {
    return (await this.request('POST', 'transaction/cost', transaction))?.txGasUnits;
  }

  private get(path: string): Promise<Record<string, unknown> | undefined> {
    return this.request('GET', path);
  }

  private async request(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
  ): Promise<Record<string, unknown> | undefined> {
    const answer = await this.network.node('EGLD', {
      method,
      path,
      body,
      fallback: { tatumPath: '/v3/egld/node/{apiKey}' },
    });
    const data = (answer.body as { data?: unknown } | null | undefined)?.data;
    return typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : undefined;
  }
}
