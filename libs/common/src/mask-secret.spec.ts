import { maskSecret, maskUrl } from './mask-secret';

describe('maskSecret', () => {
  it('says whether a secret is set, never its length', () => {
    expect(maskSecret('abc')).toBe('******** (set)');
    expect(maskSecret('a much longer secret value')).toBe('******** (set)');
    expect(maskSecret('')).toBe('N/A');
    expect(maskSecret(undefined)).toBe('N/A');
  });
});

describe('maskUrl', () => {
  it.each([
    [
      'https://user:pass@host.example:8443/v3/x?apikey=tok&b=2#frag',
      'https://***:***@host.example:8443/v3/x?apikey=***&b=***',
    ],
    ['https://only-user@node.example/rpc', 'https://***@node.example/rpc'],
    ['https://api.tatum.io', 'https://api.tatum.io'],
    ['http://127.0.0.1:4000/path/', 'http://127.0.0.1:4000/path/'],
    ['https://node.example/rpc?token', 'https://node.example/rpc?token=***'],
    ['user:pw@login.example.com?token=abc', '***@login.example.com?token=***'],
    ['login.microsoftonline.com', 'login.microsoftonline.com'],
    [undefined, 'N/A'],
  ])('%p -> %p', (value, shown) => {
    expect(maskUrl(value)).toBe(shown);
  });
});
