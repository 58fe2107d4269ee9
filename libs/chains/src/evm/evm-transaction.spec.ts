import signing from '@kms/test-fixtures/signing.json';
import { KmsError } from '@kms/common';
import { Transaction } from 'ethers';
import { evmScript, scriptedChainNetwork } from '@kms/test-support/scripted-chain-network';
import type { SignRequest } from '../chain-signer.port';
import { findEvmChain } from './evm-chains';
import { EvmSigner } from './evm.signer';

const EVM_VECTORS = signing.vectors.filter((v) => ['ETH', 'BSC', 'MATIC'].includes(v.chain));
const KEY = EVM_VECTORS[0].privateKeys[0];
const TO = '0xbeaed885f511c8b2665cdac37fc04a1f8a83766e';

const signer = (chain: string) => new EvmSigner(findEvmChain(chain)!);

/**
 * A ChainNetwork that answers only what a test configures; any other call fails the signature.
 * `nonce` answers the nonce endpoint, `gasPrice` the fee endpoint's medium and eth_gasPrice.
 */
function fakeNetwork(answers: { nonce?: unknown; gasPrice?: unknown; rpc?: Record<string, unknown> } = {}) {
  const unexpected = (what: string) => Promise.reject(new Error(`unexpected network call: ${what}`));
  const handlers = {
    nonce: jest.fn((_chain: string, _address: string) =>
      'nonce' in answers ? Promise.resolve(answers.nonce as number) : unexpected('nonce'),
    ),
    gasPrice: jest.fn((_chain: string) =>
      'gasPrice' in answers ? Promise.resolve(answers.gasPrice as string) : unexpected('gasPrice'),
    ),
    rpc: jest.fn((_chain: string, method: string, _params: unknown[]) =>
      answers.rpc && method in answers.rpc ? Promise.resolve(answers.rpc[method]) : unexpected(method),
    ),
  };
  return { ...scriptedChainNetwork(evmScript(handlers)), ...handlers };
}

function request(tx: unknown, overrides: Partial<SignRequest> = {}): SignRequest {
  return {
    serializedTransaction: typeof tx === 'string' ? tx : JSON.stringify(tx),
    keys: [KEY],
    withdrawal: false,
    testnet: false,
    network: fakeNetwork(),
    ...overrides,
  };
}

async function addressOf(chain: string, key = KEY): Promise<string> {
  return (await signer(chain).importPrivateKey(key, false)).address;
}

describe('EVM transaction signing', () => {
  describe.each(EVM_VECTORS.map((v) => [v.name, v] as const))('vector %s', (_name, vector) => {
    it.each([false, true])(
      'withdrawal=%p: gives exactly the expected txData, without network calls',
      async (withdrawal) => {
        const row = findEvmChain(vector.chain)!;
        // The vectors carry no chainId in the JSON: the table row must give the one they were signed with.
        expect(row.chainId.mainnet).toBe(vector.chainId);
        const network = fakeNetwork();
        const txData = await signer(vector.chain).signTransaction(
          request(vector.pendingTx.serializedTransaction, {
            keys: [vector.privateKeys[0]],
            testnet: vector.testnet,
            withdrawal,
            network,
          }),
        );
        expect(txData).toBe(vector.expectedTxData);
        expect(network.nonce).not.toHaveBeenCalled();
        expect(network.gasPrice).not.toHaveBeenCalled();
        expect(network.rpc).not.toHaveBeenCalled();
      },
    );
  });

  it('keeps a nonce of 0 and signs with the first key only', async () => {
    const other = EVM_VECTORS[1].privateKeys[0];
    const txData = await signer('ETH').signTransaction(
      request({ to: TO, value: '1', nonce: 0, gasPrice: '1000000000', gas: 21000 }, { keys: [KEY, other] }),
    );
    const tx = Transaction.from(txData);
    expect(tx.nonce).toBe(0);
    expect(tx.from?.toLowerCase()).toBe(await addressOf('ETH'));
  });

  it('fills a missing nonce, gas price and gas limit from the network', async () => {
    const network = fakeNetwork({ nonce: 42, gasPrice: '30000000000', rpc: { eth_estimateGas: '0x5300' } });
    const txData = await signer('ETH').signTransaction(
      request({ from: 0, to: TO, value: '0x10', data: '0xABCD' }, { network, testnet: true }),
    );
    const from = await addressOf('ETH');
    expect(network.nonce).toHaveBeenCalledWith('ETH', from);
    expect(network.gasPrice).toHaveBeenCalledWith('ETH');
    expect(network.rpc).toHaveBeenCalledWith('ETH', 'eth_estimateGas', [
      { from, to: TO, value: '0x10', data: '0xabcd' },
    ]);
    const tx = Transaction.from(txData);
    expect(tx).toMatchObject({
      type: 0,
      nonce: 42,
      gasPrice: 30000000000n,
      gasLimit: 0x5300n,
      value: 16n,
      data: '0xabcd',
    });
    expect(tx.chainId).toBe(11155111n);
    expect(tx.from?.toLowerCase()).toBe(from);
  });

  it.each([
    ['BSC', false, 56, '0x38'],
    ['BSC', true, 97, 97],
    ['MATIC', true, 80002, '80002'],
  ])(
    '%s testnet=%p: accepts a chainId that is the chain id of its network (%d)',
    async (chain, testnet, id, given) => {
      const txData = await signer(chain).signTransaction(
        request({ to: TO, nonce: 1, gasPrice: '1', gas: '21000', chainId: given }, { testnet }),
      );
      expect(Transaction.from(txData).chainId).toBe(BigInt(id));
    },
  );

  it.each([
    ['BSC', false, 1],
    ['BSC', false, 137],
    ['BSC', false, 43114],
    ['BSC', false, 97],
    ['BSC', true, 56],
    ['ETH', true, 1],
    ['ETH', false, 11155111],
  ])(
    '%s testnet=%p: refuses chainId %d (another chain or network) before asking the network',
    async (chain, testnet, chainId) => {
      const network = fakeNetwork({ nonce: 1, gasPrice: '1', rpc: { eth_estimateGas: '0x5208' } });
      const error = await signer(chain)
        .signTransaction(request({ to: TO, chainId }, { testnet, network }))
        .catch((e: unknown) => e);
      expect(error).toMatchObject({
        code: 'INVALID_PENDING_TX',
        message: expect.stringContaining(`chainId ${chainId} is not the chain id of ${chain}`),
      });
      expect(network.nonce).not.toHaveBeenCalled();
    },
  );

  describe('fee cap on what the network fills in', () => {
    const ETH = 10n ** 18n;
    it.each<[string, Record<string, unknown>, Parameters<typeof fakeNetwork>[0], string | undefined]>([
      [
        'a gas price from the API (476 ETH per gas)',
        { to: TO, nonce: 1, gas: 21000 },
        { gasPrice: (476n * ETH).toString() },
        undefined,
      ],
      [
        'a gas estimate of 30,000,000 at 3 gwei',
        { to: TO, nonce: 1, gasPrice: '3000000000' },
        { rpc: { eth_estimateGas: '0x1c9c380' } },
        undefined,
      ],
      [
        'maxFeePerGas x an estimated gas limit',
        { to: TO, nonce: 1, maxFeePerGas: '1000000000000', maxPriorityFeePerGas: '1' },
        { rpc: { eth_estimateGas: '0x186a0' } },
        undefined,
      ],
      [
        'an ordinary fee above a configured cap',
        { to: TO, nonce: 1, gas: 21000 },
        { gasPrice: '3000000000' },
        '0.00001',
      ],
    ])('refuses %s with FEE_CAP_EXCEEDED', async (_case, tx, answers, maxFee) => {
      const error = await signer('ETH')
        .signTransaction(request(tx, { network: fakeNetwork(answers), maxFee }))
        .catch((e: unknown) => e);
      expect(error).toMatchObject({
        code: 'FEE_CAP_EXCEEDED',
        message: expect.stringContaining(
          `exceeds the cap of ${maxFee ?? '0.05'} ETH (TATUM_KMS_MAX_FEE_ETH)`,
        ),
      });
    });

    it.each<[string, Record<string, unknown>, Parameters<typeof fakeNetwork>[0], string | undefined]>([
      [
        'fees set by the transaction, however high',
        { to: TO, nonce: 1, gasPrice: (ETH / 10n).toString(), gas: 21000 },
        {},
        undefined,
      ],
      [
        'exactly the cap',
        { to: TO, nonce: 1, gas: 21000 },
        { gasPrice: ((5n * 10n ** 16n) / 21000n).toString() },
        undefined,
      ],
      [
        'a priority fee from the node under its own maxFeePerGas',
        { to: TO, nonce: 1, gas: 21000, maxFeePerGas: ETH.toString() },
        { rpc: { eth_maxPriorityFeePerGas: '0x1' } },
        undefined,
      ],
      [
        'a high gas price under a raised cap',
        { to: TO, nonce: 1, gas: 21000 },
        { gasPrice: (10n ** 13n).toString() },
        '1',
      ],
    ])('signs %s', async (_case, tx, answers, maxFee) => {
      const txData = await signer('ETH').signTransaction(
        request(tx, { network: fakeNetwork(answers), maxFee }),
      );
      expect(Transaction.from(txData).nonce).toBe(1);
    });

    it("caps in the chain's own coin: 50 POL on MATIC", async () => {
      const network = fakeNetwork({ gasPrice: (3n * 10n ** 15n).toString() }); // 3,000,000 gwei
      await expect(
        signer('MATIC').signTransaction(request({ to: TO, nonce: 1, gas: 21000 }, { network })),
      ).rejects.toMatchObject({ message: expect.stringContaining('(63 POL = gas price') });
    });
  });

  it('signs an EIP-1559 (type 2) transaction when maxFeePerGas is set', async () => {
    const txData = await signer('MATIC').signTransaction(
      request({
        to: TO,
        value: '5',
        nonce: 3,
        gas: '21000',
        maxFeePerGas: '0x77359400',
        maxPriorityFeePerGas: '1000000000',
      }),
    );
    expect(txData).toMatch(/^0x02/);
    const tx = Transaction.from(txData);
    expect(tx).toMatchObject({
      type: 2,
      chainId: 137n,
      maxFeePerGas: 2000000000n,
      maxPriorityFeePerGas: 1000000000n,
      gasPrice: null,
    });
    expect(tx.from?.toLowerCase()).toBe(await addressOf('MATIC'));
  });

  it('asks the node for a missing priority fee, capped at maxFeePerGas', async () => {
    const network = fakeNetwork({ rpc: { eth_maxPriorityFeePerGas: '0x3b9aca00' } });
    const txData = await signer('ETH').signTransaction(
      request({ to: TO, nonce: 3, gas: 21000, maxFeePerGas: '600000000' }, { network }),
    );
    expect(Transaction.from(txData).maxPriorityFeePerGas).toBe(600000000n);
    expect(network.gasPrice).not.toHaveBeenCalled();
  });

  it('accepts an xdc-prefixed "to" on XDC and asks the nonce of the 0x address, as Tatum\'s SDK', async () => {
    const network = fakeNetwork({ nonce: 0 });
    const txData = await signer('XDC').signTransaction(
      request({ to: `xdc${TO.slice(2)}`, value: '1', gasPrice: '250000000', gas: 21000 }, { network }),
    );
    const tx = Transaction.from(txData);
    expect(tx.to?.toLowerCase()).toBe(TO);
    expect(tx.chainId).toBe(50n);
    expect(await addressOf('XDC')).toMatch(/^xdc/);
    expect(network.nonce).toHaveBeenCalledWith('XDC', `0x${(await addressOf('XDC')).slice(3)}`);
    expect(network.calls.map((call) => call.path)).toEqual([
      `/v3/xdc/transaction/count/0x${(await addressOf('XDC')).slice(3)}`,
    ]);
  });

  describe("a missing gas price, as Tatum's SDK gets it", () => {
    const noPrice = { to: TO, value: '1', nonce: 1, gas: 21000 };

    it('ETH: the medium of GET /v3/blockchain/fee/ETH', async () => {
      const network = scriptedChainNetwork({
        tatum: (_method, path) =>
          path === '/v3/blockchain/fee/ETH' ? { slow: '1', medium: '2000000000', fast: '3' } : undefined,
      });
      const tx = Transaction.from(await signer('ETH').signTransaction(request(noPrice, { network })));
      expect(tx.gasPrice).toBe(2_000_000_000n);
      expect(network.calls).toEqual([
        expect.objectContaining({ kind: 'tatum', path: '/v3/blockchain/fee/ETH' }),
      ]);
    });

    it.each(['BSC', 'MATIC', 'CELO', 'KLAY', 'ONE', 'XDC', 'KCS'])(
      "%s: the node's eth_gasPrice, never the fee endpoint (the API serves it for ETH only)",
      async (chain) => {
        const network = scriptedChainNetwork({
          rpc: (_node, method) => (method === 'eth_gasPrice' ? '0x12a05f200' : undefined),
        });
        const tx = Transaction.from(await signer(chain).signTransaction(request(noPrice, { network })));
        expect(tx.gasPrice).toBe(5_000_000_000n);
        expect(network.calls).toEqual([
          expect.objectContaining({
            kind: 'rpc',
            node: chain,
            method: 'eth_gasPrice',
            fallback: { tatumPath: `/v3/blockchain/node/${chain}/{apiKey}` },
          }),
        ]);
      },
    );

    it.each([0, '0', '0x0'])('a gasPrice of %p counts as missing', async (gasPrice) => {
      const network = fakeNetwork({ gasPrice: '7' });
      const tx = Transaction.from(
        await signer('ETH').signTransaction(request({ ...noPrice, gasPrice }, { network })),
      );
      expect(tx.gasPrice).toBe(7n);
      expect(network.gasPrice).toHaveBeenCalledWith('ETH');
    });
  });

  it('signs a contract creation (no "to", code in data), estimating its gas without "to"', async () => {
    const network = fakeNetwork({ rpc: { eth_estimateGas: 100000 } });
    const txData = await signer('ETH').signTransaction(
      request({ data: '0x6000', nonce: 1, gasPrice: '1' }, { network }),
    );
    expect(Transaction.from(txData).to).toBeNull();
    expect(network.rpc.mock.calls[0][2]).toEqual([
      { from: await addressOf('ETH'), value: '0x0', data: '0x6000' },
    ]);
  });

  const full = { to: TO, value: '1', nonce: 1, gasPrice: '1', gas: '21000' };
  it.each<[string, unknown, string]>([
    ['not JSON', '{"to": ', 'not valid JSON'],
    ['a JSON array', '[]', 'not a JSON object'],
    ['JSON null', 'null', 'not a JSON object'],
    ['a bad "to"', { ...full, to: '0x1234' }, 'to is not an address'],
    [
      'a "to" with a bad EIP-55 checksum',
      { ...full, to: '0x55d398326f99059fF775485246999027B3197956' },
      'EIP-55',
    ],
    ['an xdc "to" on ETH', { ...full, to: `xdc${TO.slice(2)}` }, 'to is not an address'],
    ['a numeric "to"', { ...full, to: 12 }, 'to is not an address'],
    ['non-hex data', { ...full, data: '0xzz' }, 'data is not'],
    ['data with an odd number of digits', { ...full, data: '0xabc' }, 'data is not'],
    ['data without 0x', { ...full, data: 'abcd' }, 'data is not'],
    ['a negative value', { ...full, value: '-1' }, 'value is negative'],
    ['a negative number value', { ...full, value: -1 }, 'value is negative'],
    ['a fractional value', { ...full, value: 1.5 }, 'value is not a whole number'],
    ['an unsafe JSON number value', { ...full, value: 1e21 }, 'value is too large'],
    ['a non-numeric value', { ...full, value: '1 ETH' }, 'value is not a decimal'],
    ['a value above 2^256', { ...full, value: `0x1${'0'.repeat(64)}` }, 'value is out of range'],
    ['a negative nonce', { ...full, nonce: -1 }, 'nonce is negative'],
    ['a non-numeric gasPrice', { ...full, gasPrice: 'fast' }, 'gasPrice is not a decimal'],
    ['a gas limit of 0', { ...full, gas: 0 }, 'gas must be greater than 0'],
    ['gas and gasLimit that disagree', { ...full, gasLimit: 30000 }, 'disagree'],
    ['gasPrice with maxFeePerGas', { ...full, maxFeePerGas: '2' }, 'exclusive'],
    ['maxPriorityFeePerGas alone', { ...full, maxPriorityFeePerGas: '2' }, 'without maxFeePerGas'],
    [
      'a priority fee above the max fee',
      { ...full, gasPrice: undefined, maxFeePerGas: '2', maxPriorityFeePerGas: '3' },
      'exceeds maxFeePerGas',
    ],
    ['a type that contradicts the fees', { ...full, type: 2 }, 'does not match'],
    ['an unsupported type', { ...full, type: 1 }, 'type is not supported'],
    ['no "to" and no data', { ...full, to: undefined }, 'no "to" address'],
    ['a chainId of 0', { ...full, chainId: 0 }, 'chainId must be greater than 0'],
  ])('rejects %s with INVALID_PENDING_TX, never quoting the key', async (_case, tx, reason) => {
    const error = await signer('ETH')
      .signTransaction(request(tx))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KmsError);
    expect(error).toMatchObject({ code: 'INVALID_PENDING_TX' });
    expect((error as Error).message).toMatch(/^Invalid ETH pending transaction: /);
    expect((error as Error).message).toContain(reason);
    expect((error as Error).message).not.toContain(KEY.slice(2, 20));
  });

  it('rejects a missing or malformed key without quoting it', async () => {
    await expect(signer('ETH').signTransaction(request(full, { keys: [] }))).rejects.toMatchObject({
      code: 'INVALID_PENDING_TX',
    });
    const bad = `${KEY.slice(0, 60)}zzzz`;
    const error = await signer('ETH')
      .signTransaction(request(full, { keys: [bad] }))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'INVALID_PRIVATE_KEY' });
    expect((error as Error).message).not.toContain(bad.slice(2, 20));
  });

  it.each<[string, Parameters<typeof fakeNetwork>[0], object]>([
    ['nonce', { nonce: -1 }, { to: TO, gasPrice: '1', gas: 21000 }],
    ['gas price', { gasPrice: '1.5 gwei' }, { to: TO, nonce: 1, gas: 21000 }],
    ['gas estimate', { rpc: { eth_estimateGas: '0x0' } }, { to: TO, nonce: 1, gasPrice: '1' }],
  ])('rejects an unusable %s from the network', async (_what, answers, tx) => {
    await expect(
      signer('ETH').signTransaction(request(tx, { network: fakeNetwork(answers) })),
    ).rejects.toMatchObject({
      code: 'INVALID_NETWORK_ANSWER',
    });
  });
});
