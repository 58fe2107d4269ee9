import { slip10Ed25519 } from './slip10-ed25519';

/** SLIP-0010 test vector 1 for ed25519 (seed 000102...0f). */
describe('slip10Ed25519', () => {
  const seed = Buffer.from('000102030405060708090a0b0c0d0e0f', 'hex');
  const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

  it('derives the master key', () => {
    expect(hex(slip10Ed25519(seed, []))).toBe(
      '2b4be7f19ee27bbf30c667b642d5f4aa69fd169872f8fc3059c08ebae2eb19e7',
    );
  });

  it("derives m/0'/1'/2'/2'/1000000000'", () => {
    expect(hex(slip10Ed25519(seed, [0, 1, 2, 2, 1000000000]))).toBe(
      '8f94d394a8e8fd6b1bc2f3f49f5c47e385281d5c17e65324b0f62483e37e8793',
    );
  });
});
