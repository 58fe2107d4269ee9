import { nodeUrlSecrets, redactSecrets } from './node-url-secrets';

describe('nodeUrlSecrets / redactSecrets', () => {
  it('finds user, password, Basic form, path tokens and query values, written and decoded', () => {
    const url = 'https://kms%40corp:p%40ss-word@eth.example.com/v2/abcd1234efgh?apikey=q%2Ftoken99&x=1';
    const secrets = nodeUrlSecrets(url);
    const text = [
      'user kms@corp pass p@ss-word raw kms%40corp',
      `basic ${Buffer.from('kms@corp:p@ss-word').toString('base64')}`,
      'url /v2/abcd1234efgh?apikey=q%2Ftoken99&x=1 token abcd1234efgh query q/token99 and q%2Ftoken99',
    ].join(' | ');
    const redacted = redactSecrets(text, secrets);
    for (const secret of ['kms@corp', 'kms%40corp', 'p@ss-word', 'abcd1234efgh', 'q/token99', 'q%2Ftoken99'])
      expect(redacted).not.toContain(secret);
    expect(redacted).not.toContain(Buffer.from('kms@corp:p@ss-word').toString('base64'));
  });

  it('leaves words of the path alone: they are not credentials', () => {
    const secrets = nodeUrlSecrets('https://node.example.com/thor/rpc/v1');
    expect(redactSecrets('thor node rpc v1 failed', secrets)).toBe('thor node rpc v1 failed');
  });

  it('finds nothing in a URL without credentials, and nothing in what is not a URL', () => {
    expect(nodeUrlSecrets('https://rest-testnet.onflow.org')).toEqual([]);
    expect(nodeUrlSecrets('not a url')).toEqual([]);
  });
});
