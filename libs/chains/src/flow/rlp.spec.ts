import { encodeRlp } from 'ethers';
import { rlpEncode, type RlpItem } from './rlp';

const hex = (item: RlpItem) => Buffer.from(rlpEncode(item)).toString('hex');
const bytes = (length: number, fill = 0xab) => new Uint8Array(length).fill(fill);
const ethersHex = (value: Uint8Array) => `0x${Buffer.from(value).toString('hex')}`;

describe('rlpEncode', () => {
  it.each([
    ['the empty string', new Uint8Array(0)],
    ['a single low byte', Uint8Array.of(0x7f)],
    ['a single high byte', Uint8Array.of(0x80)],
    ['55 bytes', bytes(55)],
    ['56 bytes', bytes(56)],
    ['300 bytes', bytes(300)],
    ['70000 bytes', bytes(70_000)],
  ])('encodes %s as ethers does', (_, value) => {
    expect(`0x${hex(value)}`).toBe(encodeRlp(ethersHex(value)));
  });

  it('encodes nested lists as ethers does, short and long', () => {
    const items = [bytes(3), [bytes(1, 0x01), []], bytes(60), [bytes(40), bytes(40)]];
    const toEthers = (item: unknown): unknown =>
      Array.isArray(item) ? item.map(toEthers) : ethersHex(item as Uint8Array);
    expect(`0x${hex(items)}`).toBe(encodeRlp(toEthers(items) as string[]));
    expect(hex([])).toBe('c0');
  });

  it('encodes integers as minimal big-endian bytes, 0 as the empty string', () => {
    expect(hex(0n)).toBe('80');
    expect(hex(1n)).toBe('01');
    expect(hex(127n)).toBe('7f');
    expect(hex(128n)).toBe('8180');
    expect(hex(1024n)).toBe('820400');
    expect(hex((1n << 64n) - 1n)).toBe('88ffffffffffffffff');
    expect(() => rlpEncode(-1n)).toThrow(RangeError);
  });
});
