/** ethers is loaded by the first EVM signature, once, and never for keys and addresses. */
describe('EVM signer loads ethers lazily', () => {
  afterEach(() => jest.dontMock('ethers'));

  it('loads ethers on the first signature only', async () => {
    jest.resetModules();
    let loads = 0;
    jest.doMock('ethers', () => {
      loads += 1;
      return jest.requireActual('ethers');
    });
    const { EvmSigner } = await import('./evm.signer');
    const { findEvmChain } = await import('./evm-chains');
    const eth = new EvmSigner(findEvmChain('ETH')!);
    const { privateKey } = await eth.generateKeyPair(false);
    await eth.deriveAddress({ mnemonic: 'abandon '.repeat(11) + 'about' }, 0, false);
    expect(loads).toBe(0);

    const tx = JSON.stringify({ to: `0x${'1'.repeat(40)}`, nonce: 0, gasPrice: '1', gas: 21000 });
    const network = { tatum: jest.fn(), node: jest.fn() };
    const request = {
      serializedTransaction: tx,
      keys: [privateKey],
      withdrawal: false,
      testnet: false,
      network,
    };
    await eth.signTransaction(request);
    await eth.signTransaction(request);
    expect(loads).toBe(1);
  });
});
