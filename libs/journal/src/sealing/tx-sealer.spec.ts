import { TxSealer } from './tx-sealer';

describe('TxSealer', () => {
  const binding = { chain: 'ETH', pendingId: 'p-1' };

  it('seals so that only the same store password opens, for the same id, also from another process', async () => {
    const sealer = await TxSealer.fromPassword('store-password');
    const sealed = await sealer.seal('0x02f8-signed-bytes', binding);
    expect(sealed).not.toContain('signed-bytes');
    expect(sealed.startsWith('js1.')).toBe(true);
    expect(await sealer.open(sealed, binding)).toBe('0x02f8-signed-bytes');
    const restarted = await TxSealer.fromPassword('store-password');
    expect(await restarted.open(sealed, binding)).toBe('0x02f8-signed-bytes');
    await expect(restarted.open(sealed, { chain: 'ETH', pendingId: 'p-2' })).rejects.toThrow(/does not open/);
    const other = await TxSealer.fromPassword('another-password');
    await expect(other.open(sealed, binding)).rejects.toThrow(/does not open/);
    await expect(other.open('garbage', binding)).rejects.toThrow(/not in a known format/);
  });
});
