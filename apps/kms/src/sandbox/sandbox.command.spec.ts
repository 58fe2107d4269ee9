import { InvalidArgumentError } from '@kms/common';
import { parseChains } from './sandbox.command';

describe('parseChains', () => {
  it('defaults to every demo chain, in order', () => {
    expect(parseChains(undefined)).toEqual(['ETH', 'BTC', 'SOL', 'TRON', 'XRP']);
  });

  it('upper-cases, trims and deduplicates', () => {
    expect(parseChains(' sol, eth ,SOL,')).toEqual(['SOL', 'ETH']);
  });

  it('names the chains it has demos for when given another', () => {
    expect(() => parseChains('ETH,LTC')).toThrow(
      new InvalidArgumentError(
        '--chains: the sandbox has demo transactions for ETH, BTC, SOL, TRON, XRP, not LTC',
      ),
    );
    expect(() => parseChains(' , ')).toThrow(InvalidArgumentError);
  });
});
