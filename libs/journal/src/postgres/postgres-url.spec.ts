import { redactPostgresUrl, scrubPostgresSecrets } from './postgres-url';

describe('redactPostgresUrl', () => {
  it('replaces the password and password-like parameters, keeps the rest', () => {
    expect(redactPostgresUrl('postgres://kms:s3cret@db.example.com:5432/kms?sslmode=require')).toBe(
      'postgres://kms:***@db.example.com:5432/kms?sslmode=require',
    );
    expect(redactPostgresUrl('postgres://db/kms?user=kms&password=s3cret')).toBe(
      'postgres://db/kms?user=kms&password=***',
    );
    expect(redactPostgresUrl('postgres://db/kms')).toBe('postgres://db/kms');
  });

  it('never echoes an unparsable string', () => {
    expect(redactPostgresUrl('kms:s3cret@ not a url')).toBe('postgres://***');
  });
});

describe('scrubPostgresSecrets', () => {
  it('removes the connection string and its password, raw and percent-decoded, from a message', () => {
    const url = 'postgres://kms:p%40ss%2Fword@db:5432/kms';
    const message = `connect to ${url} failed; password p@ss/word rejected; raw p%40ss%2Fword`;
    const scrubbed = scrubPostgresSecrets(message, url);
    expect(scrubbed).not.toContain('p@ss/word');
    expect(scrubbed).not.toContain('p%40ss%2Fword');
    expect(scrubbed).toContain('postgres://kms:***@db:5432/kms');
  });
});
