import {
  type ChainSigner,
  ChainModule,
  ChainRegistry,
  type SignRequest,
  type TransactionSigner,
} from '@kms/chains';
import { Test, type TestingModule } from '@nestjs/testing';
import { Transaction, id, keccak256 } from 'ethers';
import signing from './fixtures/signing.json';
import {
  type Anvil,
  type AnvilReceipt,
  AnvilRpcError,
  ERC20_TRANSFER_TOPIC,
  erc20BalanceOf,
  erc20TransferData,
  minimalErc20CreationCode,
  useAnvil,
} from './support/anvil';

/**
 * EVM signatures checked by a real node (anvil, chain id 1 = ETH mainnet in our table). For now the
 * ETH signer registered by ChainModule is called directly, with a SigningNetwork answered by anvil;
 * the daemon pipeline will route these same transactions later.
 */
describe('EVM signing against anvil', () => {
  const node = useAnvil({ chainId: 1 });
  const ETHER = 10n ** 18n;
  let moduleRef: TestingModule;
  let eth: ChainSigner & TransactionSigner;
  let key: string;
  let from: string;

  beforeAll(async () => {
    moduleRef = await Test.createTestingModule({ imports: [ChainModule.forRoot()] }).compile();
    await moduleRef.init();
    eth = moduleRef.get(ChainRegistry).get('ETH') as ChainSigner & TransactionSigner;
    key = await eth.derivePrivateKey(signing.mnemonic, 0, false);
    from = await eth.deriveAddress({ mnemonic: signing.mnemonic }, 0, false);
    await node().setBalance(from, 100n * ETHER);
  });

  afterAll(async () => {
    await moduleRef?.close();
  });

  const sign = (anvil: Anvil, tx: object, overrides: Partial<SignRequest> = {}) =>
    eth.signTransaction({
      serializedTransaction: JSON.stringify(tx),
      keys: [key],
      withdrawal: false,
      testnet: false,
      network: anvil.network(),
      ...overrides,
    });

  const fee = (receipt: AnvilReceipt) => BigInt(receipt.gasUsed) * BigInt(receipt.effectiveGasPrice);

  it('mines the signing vector "ETH mainnet native transfer" byte for byte', async () => {
    const anvil = node();
    const vector = signing.vectors.find((v) => v.name === 'ETH mainnet native transfer')!;
    expect(vector.privateKeys[0]).toBe(key);
    await anvil.rpc('anvil_setNonce', [from, '0x7']);
    const txData = await sign(anvil, JSON.parse(vector.pendingTx.serializedTransaction) as object);
    expect(txData).toBe(vector.expectedTxData);
    const receipt = await anvil.sendAndMine(txData);
    expect(receipt).toMatchObject({ status: '0x1', from, transactionHash: keccak256(txData) });
  });

  it('(a) moves ether with a transaction whose nonce, gas price and gas come from the node', async () => {
    const anvil = node();
    const to = '0x00000000000000000000000000000000000000a1';
    const value = 12_300_000_000_000_000n;
    const [senderBefore, recipientBefore] = [await anvil.balance(from), await anvil.balance(to)];
    const network = anvil.network();
    const txData = await sign(anvil, { from: 0, to, value: value.toString() }, { network });
    expect(network.calls.sort()).toEqual(['eth_estimateGas', 'gasPrice', 'nonce']);

    const receipt = await anvil.sendAndMine(txData);
    expect(receipt).toMatchObject({ status: '0x1', type: '0x0', from, to });
    expect(await anvil.balance(to)).toBe(recipientBefore + value);
    expect(await anvil.balance(from)).toBe(senderBefore - value - fee(receipt));
  });

  it('(a) mines an EIP-1559 (type 2) transfer', async () => {
    const anvil = node();
    const to = '0x00000000000000000000000000000000000000a2';
    const gasPrice = BigInt(await anvil.rpc<string>('eth_gasPrice'));
    const tx = { to, value: '0x2a', maxFeePerGas: (gasPrice * 2n).toString(), maxPriorityFeePerGas: '1' };
    const receipt = await anvil.sendAndMine(await sign(anvil, tx));
    expect(receipt).toMatchObject({ status: '0x1', type: '0x2', from });
    expect(await anvil.balance(to)).toBe(42n);
  });

  it('(b) deploys a minimal ERC-20 and transfers tokens with `transfer(to, amount)`', async () => {
    const anvil = node();
    const supply = 1_000_000n * ETHER;
    const deployment = await anvil.sendAndMine(
      await sign(anvil, { from: 0, data: minimalErc20CreationCode(supply) }),
    );
    expect(deployment.status).toBe('0x1');
    const token = deployment.contractAddress!;
    expect(token).toMatch(/^0x[0-9a-f]{40}$/);
    expect(await erc20BalanceOf(anvil, token, from)).toBe(supply);

    const to = '0x00000000000000000000000000000000000000b1';
    const amount = 12_345n * ETHER;
    const etherBefore = await anvil.balance(from);
    const receipt = await anvil.sendAndMine(
      await sign(anvil, { from: 0, to: token, data: erc20TransferData(to, amount) }),
    );
    expect(receipt).toMatchObject({ status: '0x1', to: token });
    expect(receipt.logs).toHaveLength(1);
    expect(receipt.logs[0].topics).toEqual([
      id('Transfer(address,address,uint256)'),
      `0x${from.slice(2).padStart(64, '0')}`,
      `0x${to.slice(2).padStart(64, '0')}`,
    ]);
    expect(ERC20_TRANSFER_TOPIC).toBe(id('Transfer(address,address,uint256)'));
    expect(await erc20BalanceOf(anvil, token, to)).toBe(amount);
    expect(await erc20BalanceOf(anvil, token, from)).toBe(supply - amount);
    expect(await anvil.balance(from)).toBe(etherBefore - fee(receipt));

    // More than the balance: the token reverts, the node mines a failed transaction, nothing moves.
    const tooMuch = { from: 0, to: token, data: erc20TransferData(to, supply), gas: 100_000 };
    expect((await anvil.sendAndMine(await sign(anvil, tooMuch))).status).toBe('0x0');
    expect(await erc20BalanceOf(anvil, token, to)).toBe(amount);
  });

  it('(c) a tampered signature is refused and moves nothing', async () => {
    const anvil = node();
    const to = '0x00000000000000000000000000000000000000c1';
    const txData = await sign(anvil, { to, value: ETHER.toString() });
    // The last byte of a signed legacy transaction is the low byte of the signature's s.
    const lastByte = parseInt(txData.slice(-2), 16);
    const tampered = `${txData.slice(0, -2)}${(lastByte ^ 0x01).toString(16).padStart(2, '0')}`;
    expect(Transaction.from(tampered).from).not.toBe(Transaction.from(txData).from);
    const [senderBefore, nonceBefore] = [await anvil.balance(from), await anvil.nonce(from)];

    const refusal = await anvil.sendRawTransaction(tampered).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(AnvilRpcError);
    // s changed: the signature recovers another, unfunded, sender.
    expect((refusal as Error).message).toMatch(/insufficient funds/i);
    expect(await anvil.balance(to)).toBe(0n);
    expect(await anvil.balance(from)).toBe(senderBefore);
    expect(await anvil.nonce(from)).toBe(nonceBefore);

    // The untampered original is still valid.
    expect((await anvil.sendAndMine(txData)).status).toBe('0x1');
    expect(await anvil.balance(to)).toBe(ETHER);
  });
});
