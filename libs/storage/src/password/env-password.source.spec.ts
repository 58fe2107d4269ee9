import { EnvPasswordSource } from './env-password.source';

describe('EnvPasswordSource', () => {
  it('returns the value it was given', async () => {
    await expect(new EnvPasswordSource('s3cret').password()).resolves.toBe('s3cret');
  });

  it('fails with PASSWORD_REQUIRED when the variable is unset or empty', async () => {
    for (const value of [undefined, '']) {
      await expect(new EnvPasswordSource(value).password()).rejects.toMatchObject({
        code: 'PASSWORD_REQUIRED',
      });
    }
  });

  it('names its origin, never the value', () => {
    const source = new EnvPasswordSource('s3cret');
    expect(source.origin).toBe('environment variable TATUM_KMS_PASSWORD');
    expect(JSON.stringify(source)).not.toContain('s3cret');
  });
});
