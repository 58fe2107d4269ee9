import { keccak256, recoverAddress, type Hex } from 'viem';
import { parseTransaction, serializeTransaction } from 'viem/celo';
import { scriptedChainNetwork } from '@kms/test-support/scripted-chain-network';
import type { SignRequest } from '../chain-signer.port';
import { findEvmChain } from './evm-chains';
import { EvmSigner } from './evm.signer';

/**
 * CELO with `feeCurrency` (gas paid in cUSD/cEUR), checked with an independent implementation of
 * Celo's CIP-64 transaction: viem's Celo parser reads our bytes, viem's serializer writes the same
 * bytes back, and the signer recovered from viem's signing hash is the wallet's address.
 */
const KEY = '0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318';
const FROM = '0x2c7536e3605d9c16a7a3d7b1898e529396a65c23';
const TO = '0xbeaed885f511c8b2665cdac37fc04a1f8a83766e';
const CUSD_ALFAJORES = '0x874069fa1eb16d44d622f2e0ca25eea172369bc1';
const CEUR_MAINNET = '0xd8763cba276a3738e6de85b4b3bf5fded6d6ca73';
const CELO_TOKEN_MAINNET = '0x471EcE3750Da237f93B8E339c536989b8978a438';

const celo = new EvmSigner(findEvmChain('CELO')!);

/** The CELO node's answers by method, and the nonce endpoint's; `rpc`/`nonce` record the calls. */
function network(rpc: Record<string, unknown> = {}, nonce?: number) {
  const calls = {
    rpc: jest.fn((_node: string, _method: string, _params: unknown) => undefined),
    nonce: jest.fn((_chain: string, _address: string) => undefined),
  };
  const net = scriptedChainNetwork({
    tatum: (_method, path) => {
      const count = /^\/v3\/celo\/transaction\/count\/(.+)$/.exec(path);
      if (!count || nonce === undefined) throw new Error(`unexpected ${path}`);
      calls.nonce('CELO', decodeURIComponent(count[1]));
      return nonce;
    },
    rpc: (node, method, params) => {
      calls.rpc(node, method, params);
      if (!(method in rpc)) throw new Error(`unexpected ${method}`);
      return rpc[method];
    },
  });
  return Object.assign(net, calls);
}

const sign = (tx: object, overrides: Partial<SignRequest> = {}) =>
  celo.signTransaction({
    serializedTransaction: JSON.stringify(tx),
    keys: [KEY],
    withdrawal: false,
    testnet: true,
    network: network(),
    ...overrides,
  }) as Promise<Hex>;

/** viem's reading of the bytes, its re-serialization, and the signer recovered from its signing hash. */
async function viemView(txData: Hex) {
  const parsed = parseTransaction(txData) as ReturnType<typeof parseTransaction> & Record<string, unknown>;
  const { r, s, v, yParity, ...unsigned } = parsed as Record<string, unknown>;
  void v;
  const reserialized = serializeTransaction(unsigned as never, { r, s, yParity } as never);
  const signer = await recoverAddress({
    hash: keccak256(serializeTransaction(unsigned as never)),
    signature: { r: r as Hex, s: s as Hex, yParity: yParity as number },
  });
  return { parsed, reserialized, signer: signer.toLowerCase() };
}

describe('CELO feeCurrency (CIP-64)', () => {
  it('a complete transaction paying gas in cUSD is a CIP-64 transaction that viem reads and re-serializes byte for byte', async () => {
    const net = network();
    const txData = await sign(
      {
        to: TO,
        value: '1000',
        data: '0xabcdef',
        nonce: 7,
        gasPrice: '5000000000',
        gas: '90000',
        feeCurrency: CUSD_ALFAJORES,
      },
      { network: net },
    );
    expect(txData.startsWith('0x7b')).toBe(true);
    const { parsed, reserialized, signer } = await viemView(txData);
    expect(parsed).toMatchObject({
      type: 'cip64',
      chainId: 44787,
      nonce: 7,
      to: TO,
      value: 1000n,
      data: '0xabcdef',
      gas: 90000n,
      maxFeePerGas: 5_000_000_000n,
      maxPriorityFeePerGas: 5_000_000_000n,
      feeCurrency: CUSD_ALFAJORES,
    });
    expect(reserialized).toBe(txData);
    expect(signer).toBe(FROM);
    expect(net.rpc).not.toHaveBeenCalled();
    expect(net.nonce).not.toHaveBeenCalled();
  });

  it('keeps EIP-1559 fees as given (mainnet, cEUR, checksummed address)', async () => {
    const txData = await sign(
      {
        to: TO,
        value: '0x10',
        nonce: 0,
        maxFeePerGas: '30000000000',
        maxPriorityFeePerGas: '2000000000',
        gas: 60000,
        feeCurrency: '0xD8763CBa276a3738E6DE85b4b3bF5FDed6D6cA73',
      },
      { testnet: false },
    );
    const { parsed, reserialized, signer } = await viemView(txData);
    expect(parsed.nonce ?? 0).toBe(0); // RLP's empty string; viem leaves a zero nonce out
    expect(parsed).toMatchObject({
      chainId: 42220,
      maxFeePerGas: 30_000_000_000n,
      maxPriorityFeePerGas: 2_000_000_000n,
      feeCurrency: CEUR_MAINNET,
    });
    expect(reserialized).toBe(txData);
    expect(signer).toBe(FROM);
  });

  it('asks the node the gas price in the fee currency, the estimate with it (+100,000 as the SDK) and the nonce', async () => {
    const net = network({ eth_gasPrice: '0x2540be400', eth_estimateGas: '0x5208' }, 3);
    const txData = await sign(
      { to: TO, value: '1', gasPrice: '0', feeCurrency: CUSD_ALFAJORES },
      { network: net },
    );
    expect(net.rpc).toHaveBeenCalledWith('CELO', 'eth_gasPrice', [CUSD_ALFAJORES]);
    expect(net.rpc).toHaveBeenCalledWith('CELO', 'eth_estimateGas', [
      expect.objectContaining({ from: FROM, to: TO, feeCurrency: CUSD_ALFAJORES }),
    ]);
    expect(net.nonce).toHaveBeenCalledWith('CELO', FROM);
    const { parsed, signer } = await viemView(txData);
    expect(parsed).toMatchObject({ nonce: 3, gas: 21_000n + 100_000n, maxFeePerGas: 10_000_000_000n });
    expect(signer).toBe(FROM);
  });

  it('refuses a network gas price above the fee cap before signing', async () => {
    const net = network({ eth_gasPrice: '0x' + (10n ** 15n).toString(16) });
    await expect(
      sign({ to: TO, value: '1', nonce: 1, gas: 21000, feeCurrency: CUSD_ALFAJORES }, { network: net }),
    ).rejects.toMatchObject({ code: 'FEE_CAP_EXCEEDED' });
  });

  it('the CELO token as feeCurrency, or none, is an ordinary transaction paid in CELO', async () => {
    for (const feeCurrency of [CELO_TOKEN_MAINNET, null, undefined, '']) {
      const txData = await sign({ to: TO, value: '1', nonce: 1, gasPrice: '1000', gas: 21000, feeCurrency });
      expect(parseTransaction(txData as Hex).type).toBe('legacy');
    }
  });

  it.each([['not-an-address'], [42], ['0x874069Fa1EB16d44d622F2e0ca25eeA172369bC1']])(
    'refuses feeCurrency %p',
    async (feeCurrency) => {
      await expect(
        sign({ to: TO, value: '1', nonce: 1, gasPrice: '1000', gas: 21000, feeCurrency }),
      ).rejects.toMatchObject({
        code: 'INVALID_PENDING_TX',
        message: expect.stringContaining('feeCurrency'),
      });
    },
  );
});
