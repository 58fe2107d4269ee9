import { journalFilter } from './journal-filter';

describe('journalFilter', () => {
  const now = Date.parse('2030-01-02T00:00:00Z');

  it('reads an age, an ISO date, a chain and an outcome', () => {
    expect(journalFilter({ since: '12h', chain: 'eth', outcome: 'failed' }, now)).toEqual({
      since: new Date('2030-01-01T12:00:00Z'),
      chain: 'ETH',
      outcome: 'failed',
    });
    expect(journalFilter({ since: '2029-12-31T10:00:00Z' }, now).since).toEqual(
      new Date('2029-12-31T10:00:00Z'),
    );
    expect(journalFilter({}, now)).toEqual({});
  });

  it.each([
    [{ since: 'yesterday' }, /--since/],
    [{ since: '' }, /--since/],
    [{ chain: 'ETH,BTC' }, /--chain/],
    [{ outcome: 'lost' }, /--outcome must be one of claimed, signed/],
  ])('refuses %p', (flags, message) => {
    expect(() => journalFilter(flags, now)).toThrow(message);
  });
});
