import { Global, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { KMS_CONFIG } from '@kms/config';
import { FakeTatumApi } from '@kms/test-support/fake-tatum-api';
import { TatumClient } from './tatum.client';
import { TatumModule } from './tatum.module';

describe('TatumModule', () => {
  let api: FakeTatumApi;

  beforeEach(async () => {
    api = await FakeTatumApi.start({ apiKey: 'module-key' });
  });

  afterEach(() => api.stop());

  it('provides a TatumClient configured from KMS_CONFIG', async () => {
    @Global()
    @Module({
      providers: [{ provide: KMS_CONFIG, useValue: { apiUrl: api.url, apiKey: 'module-key' } }],
      exports: [KMS_CONFIG],
    })
    class ConfigStub {}

    const moduleRef = await Test.createTestingModule({ imports: [ConfigStub, TatumModule] }).compile();
    const client = moduleRef.get(TatumClient);
    await expect(client.pending('ETH', ['w1'])).resolves.toEqual({ transactions: [], invalid: [] });
    expect(api.requests[0].headers).toMatchObject({
      'x-api-key': 'module-key',
      // the tatum-kms protocol level, not this package's release version
      'x-ttm-kms-client-version': '8.0.1',
    });
    await moduleRef.close();
  });
});
