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

describe('TxSealer cost: the store key cost, at most the default', () => {
  const binding = { chain: 'ETH', pendingId: 'p-1' };

  it('a cheaper store key seals as js2 with its N; any sealer opens js1 and js2 alike', async () => {
    const cheap = await TxSealer.fromPassword('store-password', { N: 1024 });
    const sealed = await cheap.seal('0x02f8-signed-bytes', binding);
    expect(sealed.split('.').slice(0, 2)).toEqual(['js2', '10']);
    const standard = await TxSealer.fromPassword('store-password');
    expect(await standard.open(sealed, binding)).toBe('0x02f8-signed-bytes');
    const js1 = await standard.seal('0x02f8-other', binding);
    expect(await cheap.open(js1, binding)).toBe('0x02f8-other');
    await expect(
      (await TxSealer.fromPassword('another-password', { N: 1024 })).open(sealed, binding),
    ).rejects.toThrow(/does not open/);
  });

  it('a store key of the default cost or above seals as js1 (what older versions read)', async () => {
    for (const N of [65536, 2 ** 18]) {
      const sealed = await (await TxSealer.fromPassword('store-password', { N })).seal('x', binding);
      expect(sealed.startsWith('js1.')).toBe(true);
    }
  });

  it('a seal naming an N out of range, or no number, is refused before any derivation', async () => {
    const sealer = await TxSealer.fromPassword('store-password', { N: 1024 });
    const sealed = await sealer.seal('x', binding);
    const [, , ...rest] = sealed.split('.');
    for (const log2N of ['9', '17', '30', 'x', '']) {
      await expect(sealer.open(['js2', log2N, ...rest].join('.'), binding)).rejects.toThrow(
        /not in a known format/,
      );
    }
    // the cost is bound by the key: the same seal under another N does not open
    await expect(sealer.open(['js2', '11', ...rest].join('.'), binding)).rejects.toThrow(/does not open/);
  });
});
