/**
 * Importing `@kms/tatum` must not load class-validator (~300 modules with validator and
 * libphonenumber-js): every CLI command imports the library, few read a pending item. The first item
 * read loads it.
 */
const HEAVY = ['class-validator', 'class-transformer'] as const;

describe('lazy loading', () => {
  let loaded: string[];

  beforeEach(() => {
    jest.resetModules();
    loaded = [];
    for (const name of HEAVY) {
      jest.doMock(name, () => {
        loaded.push(name);
        return jest.requireActual(name);
      });
    }
  });
  afterEach(() => {
    for (const name of HEAVY) jest.dontMock(name);
  });

  it('class-validator loads with the first pending item read, not with the library', async () => {
    const { parsePendingItems } = await import('@kms/tatum');
    expect(loaded).toEqual([]);
    const batch = parsePendingItems([{ id: 'p-1', chain: 'ETH', serializedTransaction: '{}', hashes: [7] }]);
    expect(batch.invalid.map(({ error }) => error.message)).toEqual([expect.stringMatching(/hashes/)]);
    expect([...loaded].sort()).toEqual([...HEAVY].sort());
  });
});
