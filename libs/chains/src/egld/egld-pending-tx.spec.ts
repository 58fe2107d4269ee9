import { egldToAtomic } from './egld-pending-tx';

describe('egldToAtomic', () => {
  it.each([
    ['1.5', '1500000000000000000'],
    [' 2 ', '2000000000000000000'],
    [0.05, '50000000000000000'],
    ['0', '0'],
    [0, '0'],
    ['1e-18', '1'],
    [1e-7, '100000000000'],
    ['1.', '1000000000000000000'],
    ['0.000000000000000001', '1'],
    ['1.100000000000000000000', '1100000000000000000'],
    [1e21, '1000000000000000000000000000000000000000'],
    ['20000000', '20000000000000000000000000'],
  ])('%p EGLD is %s atomic units, exactly', (value, atomic) => {
    expect(egldToAtomic(value)).toBe(atomic);
  });

  it.each([
    ['-1'],
    [-0.5],
    ['1e-19'],
    ['0.0000000000000000015'],
    ['1,5'],
    ['0x10'],
    [''],
    [null],
    [true],
    [NaN],
    [1e30],
  ])('rejects %p', (value) => {
    expect(() => egldToAtomic(value)).toThrow(expect.objectContaining({ code: 'INVALID_PENDING_TX' }));
  });
});
