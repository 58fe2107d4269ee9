import type { SigningNetwork } from '@kms/chains';
import type { TatumClient } from '@kms/tatum';

/** The SigningNetwork of the daemon: nonces, gas prices and node calls through the Tatum API. */
export class TatumSigningNetwork implements SigningNetwork {
  constructor(private readonly tatum: TatumClient) {}

  nonce(chain: string, address: string): Promise<number> {
    return this.tatum.nonce(chain, address);
  }

  /** Tatum's `fast` estimate, as tatum-kms's SDK used for transactions that came without a gas price. */
  async gasPrice(chain: string): Promise<string> {
    return (await this.tatum.fee(chain)).fast;
  }

  rpc(chain: string, method: string, params: unknown[]): Promise<unknown> {
    return this.tatum.rpc(chain, method, params);
  }
}
