/**
 * Importing `@kms/policy` must not load yaml (72 modules): every CLI command imports the library, only
 * a daemon or `policy` with a policy file reads one. The first policy read loads it.
 */
describe('lazy loading', () => {
  let loaded: string[];

  beforeEach(() => {
    jest.resetModules();
    loaded = [];
    jest.doMock('yaml', () => {
      loaded.push('yaml');
      return jest.requireActual('yaml');
    });
  });
  afterEach(() => jest.dontMock('yaml'));

  it('yaml loads with the first policy read, not with the library', async () => {
    const { parsePolicy } = await import('@kms/policy');
    expect(loaded).toEqual([]);
    expect(parsePolicy('rules:\n  - name: all\n    action: deny\n').rules).toHaveLength(1);
    expect(loaded).toEqual(['yaml']);
  });
});
