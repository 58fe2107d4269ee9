import { parsePendingItems, toPendingTransaction } from './pending-transaction';
import { InvalidPendingTxError } from './tatum.errors';

const SECRET_PAYLOAD = '{"to":"0x01","value":"1","note":"payload-must-not-leak"}';
const valid = {
  id: 'p1',
  chain: 'BTC',
  serializedTransaction: SECRET_PAYLOAD,
  hashes: ['w1'],
  index: null,
  signatures: [{ id: 'w1', index: 0 }, { id: 'w2' }],
  withdrawalId: null,
  withdrawalResponses: [
    { vIn: '-1', address: null },
    { vIn: '0', address: { address: 'ltc1', derivationKey: 3 } },
  ],
  txId: null,
  unknownField: 'dropped',
};

const problemOf = (item: unknown): InvalidPendingTxError => {
  try {
    toPendingTransaction(item);
  } catch (error) {
    if (error instanceof InvalidPendingTxError) return error;
    throw error;
  }
  throw new Error('expected InvalidPendingTxError');
};

describe('toPendingTransaction', () => {
  it('keeps the known fields and drops nulls and unknown fields; the item itself stays in received', () => {
    const tx = toPendingTransaction(valid);
    const { received, ...validated } = tx;
    expect(validated).toEqual({
      id: 'p1',
      chain: 'BTC',
      serializedTransaction: SECRET_PAYLOAD,
      hashes: ['w1'],
      signatures: [{ id: 'w1', index: 0 }, { id: 'w2' }],
      withdrawalResponses: valid.withdrawalResponses,
    });
    expect(received).toBe(valid);
    expect(JSON.stringify(received)).toBe(JSON.stringify(valid)); // nulls and unknownField included
  });

  it('keeps index 0 and a txId', () => {
    expect(toPendingTransaction({ ...valid, index: 0, txId: 'abc' })).toMatchObject({
      index: 0,
      txId: 'abc',
    });
  });

  it.each([
    [
      'a missing serializedTransaction',
      { ...valid, serializedTransaction: undefined },
      'serializedTransaction is missing',
    ],
    ['an empty chain', { ...valid, chain: '' }, 'chain must not be empty'],
    ['hashes that are not an array', { ...valid, hashes: 'w1' }, 'hashes must be an array of signature ids'],
    ['a non-string hash', { ...valid, hashes: ['w1', 7] }, 'hashes must contain only strings'],
    ['a fractional index', { ...valid, index: 1.5 }, 'index must be an integer'],
    [
      'a negative key index',
      { ...valid, signatures: [{ id: 'w1' }, { id: 'w2', index: -1 }] },
      'signatures[1].index must be >= 0',
    ],
    ['a signature without id', { ...valid, signatures: [{ index: 1 }] }, 'signatures[0].id is missing'],
    [
      'a bad derivation key',
      { ...valid, withdrawalResponses: [{ address: { derivationKey: 'x' } }] },
      'withdrawalResponses[0].address.derivationKey must be an integer',
    ],
    ['a numeric withdrawalId', { ...valid, withdrawalId: 5 }, 'withdrawalId must be a string'],
  ])('names the field for %s, never the payload', (_, item, expected) => {
    const error = problemOf(item);
    expect(error.code).toBe('INVALID_PENDING_ITEM');
    expect(error.message).toBe(`Pending transaction p1 is invalid: ${expected}`);
    expect(error.message).not.toContain('payload-must-not-leak');
    expect(error.pendingId).toBe('p1');
  });

  it('reads a numeric id for reporting, and reports items without one', () => {
    expect(problemOf({ ...valid, id: 12 })).toMatchObject({ pendingId: '12', field: 'id' });
    expect(problemOf({ chain: 'BTC' }).message).toBe(
      'Pending transaction without a readable id is invalid: id is missing',
    );
    expect(problemOf(null).message).toBe(
      'Pending transaction without a readable id is invalid: is not a JSON object',
    );
    expect(problemOf([valid]).message).toContain('is not a JSON object');
  });

  it('shortens a huge id in the message but keeps it whole for reporting', () => {
    const id = 'x'.repeat(500);
    const error = problemOf({ ...valid, id, chain: 3 });
    expect(error.pendingId).toBe(id);
    expect(error.message.length).toBeLessThan(200);
  });
});

describe('parsePendingItems', () => {
  it('separates valid and invalid items, in order, each transaction once', () => {
    const batch = parsePendingItems(
      [valid, { id: 'bad' }, 'junk', { ...valid, hashes: ['w9'] }, { ...valid, id: 'p2' }],
      'BTC',
    );
    expect(batch.transactions.map((tx) => tx.id)).toEqual(['p1', 'p2']);
    expect(batch.invalid.map((item) => item.id)).toEqual(['bad', undefined]);
  });

  it('rejects a transaction of another chain than requested', () => {
    const batch = parsePendingItems(
      [
        { ...valid, chain: 'ETH' },
        { ...valid, id: 'p2', chain: 'btc' },
      ],
      'BTC',
    );
    expect(batch.transactions.map((tx) => tx.id)).toEqual(['p2']);
    expect(batch.invalid[0].error.message).toBe(
      'Pending transaction p1 is invalid: chain is not the requested chain BTC',
    );
  });

  describe('PENDING_LIMITS: one oversized or deep item never fails the others', () => {
    const good = { ...valid, id: 'good' };
    const MIB = 1024 * 1024;

    it.each<[string, unknown, RegExp]>([
      [
        'a serializedTransaction over 1 MiB',
        { ...valid, id: 'big', serializedTransaction: 'x'.repeat(MIB + 1) },
        /^Pending transaction big is invalid: serializedTransaction is larger than 1 MiB$/,
      ],
      [
        'an item over 2 MiB',
        {
          ...valid,
          id: 'big',
          withdrawalResponses: Array.from({ length: 3000 }, () => ({ vIn: 'x'.repeat(1000) })),
        },
        /^Pending transaction big is invalid: is larger than 2 MiB$/,
      ],
      [
        'an item nested 20,000 levels deep',
        JSON.parse(
          `{"id":"big","chain":"BTC","hashes":["w1"],"serializedTransaction":"{}","x":${'['.repeat(20_000)}1${']'.repeat(20_000)}}`,
        ),
        /^Pending transaction big is invalid: nests deeper than 32 levels$/,
      ],
    ])('%s is reported by its id', (_case, item, message) => {
      const batch = parsePendingItems([item, good], 'BTC');
      expect(batch.transactions.map((tx) => tx.id)).toEqual(['good']);
      expect(batch.invalid.map(({ id, error }) => [id, error.message])).toEqual([
        ['big', expect.stringMatching(message)],
      ]);
    });

    it('accepts a real-sized item: a 500 KiB serializedTransaction, Tatum nesting', () => {
      const batch = parsePendingItems([{ ...valid, serializedTransaction: 'x'.repeat(500 * 1024) }], 'BTC');
      expect(batch.invalid).toEqual([]);
    });

    it('an item a validator cannot read fails alone', () => {
      const hostile = { ...valid, id: 'getter' };
      Object.defineProperty(hostile, 'hashes', {
        enumerable: true,
        get() {
          throw new RangeError('Maximum call stack size exceeded');
        },
      });
      const batch = parsePendingItems([hostile, good], 'BTC');
      expect(batch.transactions.map((tx) => tx.id)).toEqual(['good']);
      expect(batch.invalid.map((item) => item.error.message)).toEqual([
        'Pending transaction getter is invalid: could not be read',
      ]);
    });

    it('escapes control characters of an id in the message, and keeps the id as it is for reporting', () => {
      const batch = parsePendingItems([{ id: 'evil\r\n[Nest] forged' }], 'BTC');
      expect(batch.invalid[0].id).toBe('evil\r\n[Nest] forged');
      expect(batch.invalid[0].error.message).toContain('evil\\r\\n[Nest] forged');
    });
  });
});
