import { InvalidConfigError } from './config.errors';
import { buildKmsConfig } from './kms-config';

describe('buildKmsConfig', () => {
  it('flags win over environment variables, with tatum-kms defaults', () => {
    const config = buildKmsConfig(
      { apiKey: 'from-flag', testnet: true, chain: 'eth,btc' },
      { TATUM_API_KEY: 'from-env', TATUM_API_URL: 'http://127.0.0.1:9/' },
    );
    expect(config).toMatchObject({
      apiKey: 'from-flag',
      apiUrl: 'http://127.0.0.1:9',
      testnet: true,
      chains: ['ETH', 'BTC'],
      period: 5,
      storage: 'file',
      externalUrlMethod: 'GET',
    });
  });

  it('names every invalid setting and never its value', () => {
    const secretish = 'ftp://user:hunter2@example.com';
    let error: unknown;
    try {
      buildKmsConfig(
        {
          period: 'soon',
          externalUrl: secretish,
          externalUrlMethod: 'PUT',
          metricsPort: '70000',
        },
        { TATUM_API_URL: secretish },
      );
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidConfigError);
    const { problems, message } = error as InvalidConfigError;
    expect(problems).toHaveLength(5);
    for (const name of [
      '--period',
      '--externalUrl',
      '--externalUrlMethod',
      '--metricsPort',
      'TATUM_API_URL',
    ]) {
      expect(message).toContain(name);
    }
    expect(message).not.toContain('hunter2');
  });

  it('keeps the storage type as given, in lower case, for @kms/storage to check', () => {
    expect(buildKmsConfig({ storage: 'HSM' }, {}).storage).toBe('hsm');
    expect(buildKmsConfig({}, { TATUM_KMS_STORAGE: 'Floppy' }).storage).toBe('floppy');
    expect(buildKmsConfig({}, {}).storage).toBe('file');
  });

  it('reads fee caps from TATUM_KMS_MAX_FEE_<CHAIN> and names each invalid one', () => {
    const config = buildKmsConfig({}, { TATUM_KMS_MAX_FEE_ETH: '0.05', TATUM_KMS_MAX_FEE_MATIC: ' 50 ' });
    expect(config.maxFees).toEqual({ ETH: '0.05', MATIC: '50' });
    for (const bad of ['abc', '0', '0.000', '-1', '1e3', '1,5', '', '0.0000000000000000001']) {
      expect(() => buildKmsConfig({}, { TATUM_KMS_MAX_FEE_BSC: bad })).toThrow(
        /TATUM_KMS_MAX_FEE_BSC must be a positive decimal amount/,
      );
    }
    expect(buildKmsConfig({}, { TATUM_KMS_MAX_FEE_VET: '.5' }).maxFees).toEqual({ VET: '.5' });
  });

  it('masks secrets when logged or serialised', () => {
    const config = buildKmsConfig({ apiKey: 'api-secret' }, { TATUM_KMS_PASSWORD: 'pw-secret' });
    expect(JSON.stringify(config)).not.toMatch(/api-secret|pw-secret/);
    expect(config.password).toBe('pw-secret');
  });

  it('TATUM_KMS_JOURNAL: unset is the embedded journal beside the wallet file; a postgres URL, masked when logged', () => {
    const embedded = buildKmsConfig({ path: '/data/kms/wallet.dat' }, {});
    expect(embedded).toMatchObject({ journal: undefined, journalPath: '/data/kms/journal.sqlite' });
    const url = 'postgres://kms:s3cret@db.internal:5432/kms';
    const shared = buildKmsConfig({}, { TATUM_KMS_JOURNAL: url });
    expect(shared.journal).toBe(url);
    expect(JSON.stringify(shared)).not.toContain('s3cret');
    expect(() => buildKmsConfig({}, { TATUM_KMS_JOURNAL: 'mysql://kms:s3cret@db/kms' })).toThrow(
      /TATUM_KMS_JOURNAL must be a postgres:\/\/ URL/,
    );
  });
});
