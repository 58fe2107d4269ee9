'use strict';
/**
 * The plugin's own test: the KMS's signer conformance kit against BaseSigner, plus Base's chain ids.
 * Run from a checkout of the KMS: `npm run jest -- examples/evm-l2-plugin --selectProjects unit`.
 */
const { Transaction } = require('ethers');
const { signerConformance, CONFORMANCE_MNEMONIC } = require('@kms/chains/testing');
const { BaseSigner } = require('..');

signerConformance('BASE (example plugin)', () => new BaseSigner(), {
  mnemonic: CONFORMANCE_MNEMONIC,
  // Base mainnet derives at Ethereum's path: the same account as ETH for the same mnemonic.
  expected: {
    mainnet: {
      address: '0xc05f796d9a672f99da124f99130001a8b9eb0bae',
      privateKey: '0xb048716424d2570a1ae8cc211bb5da6b123a5b56aaedaa4bcc68dcff53cd7084',
    },
  },
  malformedTransactions: [
    JSON.stringify({ to: 42, value: '1' }),
    JSON.stringify({ to: '0x00000000000000000000000000000000000000a1', value: { wei: 1 } }),
    JSON.stringify({ to: '0x00000000000000000000000000000000000000a1', value: '1', chainId: 1 }),
  ],
});

describe('BaseSigner', () => {
  const signer = new BaseSigner();
  const offline = {
    tatum: () => Promise.reject(new Error('offline')),
    node: () => Promise.reject(new Error('offline')),
  };
  const sign = async (tx, testnet) =>
    Transaction.from(
      await signer.signTransaction({
        serializedTransaction: JSON.stringify(tx),
        keys: [await signer.derivePrivateKey(CONFORMANCE_MNEMONIC, 0, testnet)],
        withdrawal: false,
        testnet,
        network: offline,
      }),
    );
  const to = '0x00000000000000000000000000000000000000a1';

  it('declares its own Tatum API paths', () => {
    expect(signer.chain).toBe('BASE');
    expect(signer.tatum).toEqual({ broadcastPath: 'base', noncePath: 'base', offchainWithdrawals: false });
  });

  it('signs legacy transactions for Base (8453) and Base Sepolia (84532)', async () => {
    const tx = { to, value: '5', nonce: 0, gasPrice: '1000', gasLimit: '21000' };
    const mainnet = await sign(tx, false);
    expect({ type: mainnet.type, chainId: mainnet.chainId, to: mainnet.to.toLowerCase() }).toEqual({
      type: 0,
      chainId: 8453n,
      to,
    });
    expect(mainnet.from.toLowerCase()).toBe(
      await signer.deriveAddress({ mnemonic: CONFORMANCE_MNEMONIC }, 0, false),
    );
    expect((await sign(tx, true)).chainId).toBe(84532n);
  });

  it('signs EIP-1559 transactions when maxFeePerGas is set', async () => {
    const signed = await sign(
      { to, value: '5', nonce: 1, maxFeePerGas: '2000', maxPriorityFeePerGas: '1', gasLimit: '21000' },
      true,
    );
    expect({ type: signed.type, chainId: signed.chainId, maxFeePerGas: signed.maxFeePerGas }).toEqual({
      type: 2,
      chainId: 84532n,
      maxFeePerGas: 2000n,
    });
  });
});
