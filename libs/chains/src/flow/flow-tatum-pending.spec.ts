import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KmsError } from '@kms/common';
import { CadenceParser } from '@onflow/cadence-parser';
import { cadenceArgument, fixedPoint } from './flow-cadence-args';
import { FlowTxType, parseTatumFlowPending } from './flow-tatum-pending';
import { ADD_PUBLIC_KEY_TEMPLATE, CREATE_ACCOUNT_TEMPLATE, transferTemplate } from './flow-templates';

const ACCOUNT = '0x1d0f4a4cbbb4a3b5';
const TO = '0x0ae53cb6e3f42a79';
/** Tatum's "address" of a FLOW wallet: its uncompressed public key, 128 hex digits. */
const PUBLIC_KEY =
  '79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8';

function parse(type: number, body: Record<string, unknown>, testnet = true) {
  return parseTatumFlowPending({ type, body }, testnet);
}

function rejection(fn: () => unknown): KmsError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(KmsError);
    expect((error as KmsError).code).toBe('INVALID_PENDING_TX');
    return error as KmsError;
  }
  throw new Error('expected a rejection');
}

describe('Cadence templates (parsed by the Cadence 1.0 parser)', () => {
  let parser: CadenceParser;
  beforeAll(async () => {
    const wasm = join(
      require.resolve('@onflow/cadence-parser').replace(/cjs[\\/]index\.js$/, ''),
      'cadence-parser.wasm',
    );
    const quiet = jest.spyOn(console, 'debug').mockImplementation(() => undefined);
    try {
      parser = await CadenceParser.create(readFileSync(wasm));
    } finally {
      quiet.mockRestore();
    }
  });

  const errorsOf = (code: string): unknown[] => {
    const result = parser.parse(code) as { error?: { Errors?: unknown[] } };
    return result.error?.Errors ?? [];
  };

  it.each([
    ['FLOW transfer, mainnet', transferTemplate('FLOW', false)],
    ['FLOW transfer, testnet', transferTemplate('FLOW', true)],
    ['FUSD transfer, mainnet', transferTemplate('FUSD', false)],
    ['FUSD transfer, testnet', transferTemplate('FUSD', true)],
    ['create account', CREATE_ACCOUNT_TEMPLATE],
    ['add public key', ADD_PUBLIC_KEY_TEMPLATE],
  ])('%s parses', (_, code) => {
    expect(errorsOf(code)).toEqual([]);
  });

  it("rejects Tatum's own pre-1.0 create-account template (restricted types), and `pub`", () => {
    // Tatum's SDK template, in part: restricted types like FUSD.Vault{FungibleToken.Receiver} are gone.
    const legacy = `import FungibleToken from 0x9a0766d93b6608b7
import FUSD from 0xe223d8a629e49c68
transaction(publicKey: String) {
  let account: AuthAccount
  prepare(signer: AuthAccount) {
    self.account = AuthAccount(payer: signer)
  }
  execute {
    self.account.addPublicKey(publicKey.decodeHex())
    self.account.save(<-FUSD.createEmptyVault(), to: /storage/fusdVault)
    self.account.link<&FUSD.Vault{FungibleToken.Receiver}>(/public/fusdReceiver, target: /storage/fusdVault)
  }
}`;
    expect(errorsOf(legacy)).not.toEqual([]);
    expect(errorsOf('pub fun main() {}')).not.toEqual([]);
  });

  it('uses the network of the wallet for the contract addresses', () => {
    expect(transferTemplate('FLOW', false)).toContain('import FlowToken from 0x1654653399040a61');
    expect(transferTemplate('FLOW', false)).toContain('import FungibleToken from 0xf233dcee88fe0abe');
    expect(transferTemplate('FLOW', true)).toContain('import FlowToken from 0x7e60df042a9c0868');
    expect(transferTemplate('FUSD', true)).toContain('import FUSD from 0xe223d8a629e49c68');
    expect(transferTemplate('FUSD', false)).toContain('/public/fusdReceiver');
  });
});

describe("parseTatumFlowPending (Tatum's {type, body})", () => {
  it('TRANSFER: the token template, amount with 8 decimals, recipient as Address', () => {
    const tx = parse(FlowTxType.TRANSFER, {
      account: ACCOUNT,
      to: TO,
      amount: '1.5',
      currency: 'FLOW',
      signatureId: 'x',
    });
    expect(tx).toEqual({
      type: FlowTxType.TRANSFER,
      script: transferTemplate('FLOW', true),
      arguments: [
        { type: 'UFix64', value: '1.50000000' },
        { type: 'Address', value: TO },
      ],
      account: ACCOUNT.slice(2),
    });
    expect(
      parse(FlowTxType.TRANSFER, { account: ACCOUNT, to: TO, amount: '0.00000001', currency: 'FUSD' }, false)
        .script,
    ).toBe(transferTemplate('FUSD', false));
  });

  it('CREATE_ACCOUNT and ADD_PK_TO_ACCOUNT take the wallet public key (Tatum address), 04 optional', () => {
    expect(parse(FlowTxType.CREATE_ACCOUNT, { account: ACCOUNT, publicKey: PUBLIC_KEY }).arguments).toEqual([
      { type: 'String', value: PUBLIC_KEY },
    ]);
    expect(
      parse(FlowTxType.ADD_PK_TO_ACCOUNT, { account: ACCOUNT, publicKey: `04${PUBLIC_KEY}` }).arguments,
    ).toEqual([
      { type: 'String', value: PUBLIC_KEY },
      { type: 'UFix64', value: '0.00000000' },
    ]);
    expect(
      parse(FlowTxType.ADD_PK_TO_ACCOUNT, { account: ACCOUNT, publicKey: PUBLIC_KEY, weight: 1000 })
        .arguments[1],
    ).toEqual({ type: 'UFix64', value: '1000.00000000' });
  });

  it("CUSTOM_TX: the body's Cadence and JSON-Cadence arguments", () => {
    const tx = parse(FlowTxType.CUSTOM_TX, {
      account: ACCOUNT,
      transaction: 'transaction(a: UInt64, b: [Address]) { prepare(s: &Account) {} }',
      args: [
        { type: 'UInt64', value: '18446744073709551615' },
        { type: 'Array', subType: 'Address', value: [TO, '0x1'] },
      ],
    });
    expect(tx.arguments).toEqual([
      { type: 'UInt64', value: '18446744073709551615' },
      {
        type: 'Array',
        value: [
          { type: 'Address', value: TO },
          { type: 'Address', value: '0x0000000000000001' },
        ],
      },
    ]);
  });

  it.each([
    ['no body', { type: 2 }, '`body`'],
    ['no account', { type: 2, body: { to: TO, amount: '1', currency: 'FLOW' } }, '`body.account`'],
    [
      'bad recipient',
      { type: 2, body: { account: ACCOUNT, to: 'alice', amount: '1', currency: 'FLOW' } },
      '`body.to`',
    ],
    [
      'unknown currency',
      { type: 2, body: { account: ACCOUNT, to: TO, amount: '1', currency: 'USDC' } },
      '`body.currency`',
    ],
    ['no currency', { type: 2, body: { account: ACCOUNT, to: TO, amount: '1' } }, '`body.currency`'],
    [
      '9 decimals',
      { type: 2, body: { account: ACCOUNT, to: TO, amount: '0.000000001', currency: 'FLOW' } },
      '`body.amount`',
    ],
    [
      'negative',
      { type: 2, body: { account: ACCOUNT, to: TO, amount: '-1', currency: 'FLOW' } },
      '`body.amount`',
    ],
    ['zero', { type: 2, body: { account: ACCOUNT, to: TO, amount: '0.0', currency: 'FLOW' } }, 'zero'],
    [
      'too large',
      { type: 2, body: { account: ACCOUNT, to: TO, amount: '184467440738', currency: 'FLOW' } },
      '`body.amount`',
    ],
    [
      'key off the curve',
      { type: 0, body: { account: ACCOUNT, publicKey: '11'.repeat(64) } },
      '`body.publicKey`',
    ],
    [
      'weight over 1000',
      { type: 1, body: { account: ACCOUNT, publicKey: PUBLIC_KEY, weight: 1001 } },
      '`body.weight`',
    ],
    ['no Cadence', { type: 8, body: { account: ACCOUNT, args: [] } }, '`body.transaction`'],
    [
      'bad argument',
      { type: 8, body: { account: ACCOUNT, transaction: 'x', args: [{ type: 'UInt8', value: '256' }] } },
      '`body.args[0]`',
    ],
    [
      'unsupported argument',
      { type: 8, body: { account: ACCOUNT, transaction: 'x', args: [{ type: 'Resource', value: '' }] } },
      'not supported',
    ],
    ['NFT mint', { type: 4, body: { account: ACCOUNT } }, 'TatumMultiNFT'],
    ['NFT transfer', { type: 7, body: { account: ACCOUNT } }, 'Cadence before 1.0'],
    ['unknown type', { type: 42, body: { account: ACCOUNT } }, '`type`'],
    ['type as text', { type: '2', body: { account: ACCOUNT } }, '`type`'],
  ])('rejects %s, naming the field', (_, json, field) => {
    const error = rejection(() => parseTatumFlowPending(json as { type: unknown; body: unknown }, true));
    expect(error.message).toContain(field);
  });
});

describe('JSON-Cadence arguments', () => {
  it.each([
    [
      { type: 'UFix64', value: '1' },
      { type: 'UFix64', value: '1.00000000' },
    ],
    [
      { type: 'Fix64', value: '-0.5' },
      { type: 'Fix64', value: '-0.50000000' },
    ],
    [
      { type: 'Int', value: -7 },
      { type: 'Int', value: '-7' },
    ],
    [
      { type: 'Int256', value: '-' + (2n ** 255n).toString() },
      { type: 'Int256', value: '-' + (2n ** 255n).toString() },
    ],
    [
      { type: 'Word8', value: '255' },
      { type: 'Word8', value: '255' },
    ],
    [
      { type: 'Bool', value: 'true' },
      { type: 'Bool', value: true },
    ],
    [
      { type: 'String', value: 'héllo' },
      { type: 'String', value: 'héllo' },
    ],
    [
      { type: 'Character', value: '👍🏽' },
      { type: 'Character', value: '👍🏽' },
    ],
    [
      { type: 'Address', value: '0xABC' },
      { type: 'Address', value: '0x0000000000000abc' },
    ],
  ])('%j -> %j', (arg, value) => {
    expect(cadenceArgument(arg)).toEqual(value);
  });

  it.each([
    [{ type: 'UInt', value: '-1' }],
    [{ type: 'Int8', value: '128' }],
    [{ type: 'UFix64', value: '-1' }],
    [{ type: 'UFix64', value: '1.123456789' }],
    [{ type: 'Fix64', value: '92233720368.54775808' }],
    [{ type: 'Bool', value: 1 }],
    [{ type: 'Character', value: 'ab' }],
    [{ type: 'Address', value: '0x' + '1'.repeat(17) }],
    [{ type: 'Array', subType: 'Array', value: [] }],
    [{ type: 'Array', subType: 'String', value: 'x' }],
  ])('rejects %j', (arg) => {
    expect(() => cadenceArgument(arg)).toThrow();
  });

  it('writes Fix64 limits exactly', () => {
    expect(fixedPoint('Fix64', '-92233720368.54775808')).toBe('-92233720368.54775808');
    expect(fixedPoint('UFix64', '184467440737.09551615')).toBe('184467440737.09551615');
  });
});
