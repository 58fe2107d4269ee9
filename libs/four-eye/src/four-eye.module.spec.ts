import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { PROMPTER } from '@kms/common';
import { buildKmsConfig, KMS_CONFIG, KmsFlags } from '@kms/config';
import { resolveStorage, STORAGE_PROVIDERS, StorageSettingsModule } from '@kms/storage';
import {
  APPROVAL_GATEWAY,
  ApprovalGateway,
  assertFourEyeConfigured,
  fourEyeWarnings,
  FourEyeModule,
  FourEyeRequiredError,
  HttpApprovalGateway,
} from './index';

async function gatewayFor(
  flags: KmsFlags,
): Promise<{ gateway: ApprovalGateway; close: () => Promise<void> }> {
  const config = buildKmsConfig(flags, {});
  // the store (for Ed25519 signed approvals) is built lazily; nothing here prompts
  @Module({
    providers: [
      { provide: KMS_CONFIG, useValue: config },
      { provide: PROMPTER, useValue: {} },
    ],
    exports: [KMS_CONFIG, PROMPTER],
  })
  class FakeConfigModule {}
  const moduleRef = await Test.createTestingModule({
    imports: [
      { module: FakeConfigModule, global: true },
      StorageSettingsModule.forRoot(resolveStorage(STORAGE_PROVIDERS, flags, {}, config)),
      FourEyeModule,
    ],
  }).compile();
  return { gateway: moduleRef.get<ApprovalGateway>(APPROVAL_GATEWAY), close: () => moduleRef.close() };
}

describe('FourEyeModule', () => {
  it('testnet without --externalUrl: approves everything and the daemon may start', async () => {
    const { gateway, close } = await gatewayFor({ testnet: true });
    expect(await gateway.approve({ id: 'a' })).toEqual({ approved: true });
    expect(() => assertFourEyeConfigured(buildKmsConfig({ testnet: true }, {}))).not.toThrow();
    await close();
  });

  it('mainnet without --externalUrl: the container boots, the daemon refuses, the gateway denies', async () => {
    const { gateway, close } = await gatewayFor({});
    const config = buildKmsConfig({}, {});
    expect(() => assertFourEyeConfigured(config)).toThrow(FourEyeRequiredError);
    expect(() => assertFourEyeConfigured(config)).toThrow(
      expect.objectContaining({
        code: 'FOUR_EYE_REQUIRED',
        message: expect.stringContaining('--externalUrl'),
      }),
    );
    expect(await gateway.approve({ id: 'a' })).toEqual({
      approved: false,
      reason: expect.stringContaining('--externalUrl on mainnet'),
    });
    await close();
  });

  it('--externalUrl (trailing slash, POST) asks that server on mainnet and testnet', async () => {
    const seen: string[] = [];
    const server = createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      res.writeHead(req.url?.endsWith('/yes') ? 200 : 403).end();
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/four-eye/`;
    try {
      for (const testnet of [false, true]) {
        const flags = { externalUrl: url, externalUrlMethod: 'post', testnet };
        expect(() => assertFourEyeConfigured(buildKmsConfig(flags, {}))).not.toThrow();
        const { gateway, close } = await gatewayFor(flags);
        expect(gateway).toBeInstanceOf(HttpApprovalGateway);
        expect(await gateway.approve({ id: 'yes' })).toEqual({ approved: true });
        expect(await gateway.approve({ id: 'no' })).toEqual({
          approved: false,
          reason: 'approval server answered 403',
        });
        await close();
      }
      expect(seen).toEqual([
        'POST /four-eye/yes',
        'POST /four-eye/no',
        'POST /four-eye/yes',
        'POST /four-eye/no',
      ]);
    } finally {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    }
  });

  describe('a plain-http approval server', () => {
    const start = (externalUrl: string, env: Record<string, string> = {}, testnet = false) =>
      buildKmsConfig({ externalUrl, testnet }, env);

    it('is refused on mainnet as a configuration error, naming the way out but never the URL', () => {
      const config = start('http://user:secret@approvals.example.com/kms');
      expect(() => assertFourEyeConfigured(config)).toThrow(
        expect.objectContaining({
          code: 'INVALID_CONFIG',
          message: expect.stringMatching(
            /--externalUrl must be an https URL on mainnet.*TATUM_KMS_ALLOW_HTTP_APPROVAL=true/,
          ),
        }),
      );
      expect(() => assertFourEyeConfigured(config)).toThrow(
        expect.not.objectContaining({ message: expect.stringContaining('secret') }),
      );
    });

    it('starts with a warning when allowed by TATUM_KMS_ALLOW_HTTP_APPROVAL=true', () => {
      const config = start('http://user:secret@approvals.example.com/kms', {
        TATUM_KMS_ALLOW_HTTP_APPROVAL: 'true',
      });
      expect(() => assertFourEyeConfigured(config)).not.toThrow();
      expect(fourEyeWarnings(config)).toEqual([
        expect.stringContaining('plain http (TATUM_KMS_ALLOW_HTTP_APPROVAL=true)'),
        'the credentials in --externalUrl are sent over plain http',
      ]);
      expect(fourEyeWarnings(config).join()).not.toContain('secret');
    });

    it.each([
      'http://127.0.0.1:8080/kms',
      'http://127.1.2.3/',
      'http://localhost:3000',
      'http://[::1]:9000/x',
    ])('is accepted with a warning on the loopback address %s', (url) => {
      const config = start(url);
      expect(() => assertFourEyeConfigured(config)).not.toThrow();
      expect(fourEyeWarnings(config)).toEqual([expect.stringContaining('loopback')]);
    });

    it('is neither refused nor warned about on testnet; https never is', () => {
      for (const config of [
        start('http://approvals.example.com', {}, true),
        start('https://approvals.example.com'),
      ]) {
        expect(() => assertFourEyeConfigured(config)).not.toThrow();
        expect(fourEyeWarnings(config)).toEqual([]);
      }
      expect(() => assertFourEyeConfigured(start('http://127.example.com'))).toThrow(/https URL on mainnet/);
    });
  });
});
