import { readFileSync, writeFileSync, existsSync, statSync } from 'node:fs';
import { decryptLegacyWalletFile } from '@kms/storage';
import { join } from 'node:path';
import { AES } from 'crypto-js';
import vectors from './fixtures/derivation.json';
import { json, tempDir, type KmsRun } from './support/kms-cli';
import { runKmsInProcess } from './support/kms-in-process';

/** A wallet file written exactly as tatum-kms writes it (crypto-js passphrase AES, docs/tatum-protocol.md §2). */
const PASSWORD = 'legacy-password-1';
const LEGACY_MAP = {
  '0b8fe1a0-2c5c-4a1e-9d6c-6a3f0f1e2d3c': {
    mnemonic: vectors.mnemonic,
    xpub: vectors.chains.ETH.mainnet.generateWallet.result.xpub,
    chain: 'ETH',
    testnet: false,
  },
  '6f1d2c3b-4a59-4e8f-8b7a-1c2d3e4f5a6b': {
    privateKey: vectors.chains.BTC.testnet.generatePrivateKeyFromMnemonic['0'],
    chain: 'BTC',
    testnet: true,
  },
  '9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d': {
    address: 'rLpgximdBvEHy8TxUwyj6mjCRNcJju5qGG',
    secret: 'sp8y8kecNjy88BZRr9U991iiRzFNf',
    chain: 'XRP',
    testnet: false,
  },
};

describe('reading and converting a tatum-kms wallet file', () => {
  const { dir, cleanup } = tempDir();
  const path = join(dir, 'wallet.dat');
  const env = { TATUM_KMS_PASSWORD: PASSWORD, HOME: dir };
  let original: Buffer;
  let conversion: KmsRun;
  afterAll(cleanup);

  beforeAll(() => {
    writeFileSync(path, AES.encrypt(JSON.stringify(LEGACY_MAP), PASSWORD).toString());
    original = readFileSync(path);
  });

  it('exports every entry of the legacy file', async () => {
    expect(json(await runKmsInProcess(['export', '--path', path], { env }))).toEqual(LEGACY_MAP);
  });

  it('reads one wallet and derives addresses from it', async () => {
    const [ethId] = Object.keys(LEGACY_MAP);
    expect(json(await runKmsInProcess(['getmanagedwallet', ethId, '--path', path], { env }))).toEqual(
      LEGACY_MAP[ethId as keyof typeof LEGACY_MAP],
    );
    expect(json(await runKmsInProcess(['getaddress', ethId, '5', '--path', path], { env }))).toEqual({
      address: vectors.chains.ETH.mainnet.generateAddressFromXPub['5'],
    });
    expect(
      json(
        await runKmsInProcess(['getaddress', '9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d', '--path', path], {
          env,
        }),
      ),
    ).toEqual({
      address: 'rLpgximdBvEHy8TxUwyj6mjCRNcJju5qGG',
    });
  });

  it('reading did not modify the file', () => {
    expect(readFileSync(path).equals(original)).toBe(true);
    expect(existsSync(`${path}.bak`)).toBe(false);
  });

  it('a wrong password on the legacy file is reported as such', async () => {
    const run = await runKmsInProcess(['export', '--path', path], {
      env: { ...env, TATUM_KMS_PASSWORD: 'not-it' },
    });
    expect(run.code).not.toBe(0);
    expect(JSON.parse(run.stderr)).toEqual({ error: expect.stringMatching(/wrong password/i) });
  });

  it('the first write converts to format v2, keeps every entry and backs up the original', async () => {
    conversion = await runKmsInProcess(['generatemanagedwallet', 'LTC', '--path', path], { env });
    const created = json<{ signatureId: string; xpub: string }>(conversion);
    const converted = readFileSync(path, 'utf8');
    expect(JSON.parse(converted)).toMatchObject({
      version: 2,
      cipher: 'aes-256-gcm',
      kdf: { name: 'scrypt' },
    });
    expect(converted).not.toContain(vectors.mnemonic);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(`${path}.bak`).equals(original)).toBe(true);

    const exported = json<Record<string, unknown>>(
      await runKmsInProcess(['export', '--path', path], { env }),
    );
    expect(exported).toMatchObject(LEGACY_MAP);
    expect(exported[created.signatureId]).toMatchObject({ chain: 'LTC', testnet: false, xpub: created.xpub });
    expect(Object.keys(exported)).toHaveLength(4);
  });

  describe('the weak backup of the tatum-kms file', () => {
    const NEW_PASSWORD = 'a-new-store-password';
    const backup = `${path}.bak`;
    const BACKUP_WARNING = new RegExp(
      `the tatum-kms backup ${backup.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is still on disk`,
    );

    it('the conversion said so on stderr, in one line without any secret', () => {
      const lines = conversion.stderr.trim().split('\n');
      expect(lines).toEqual([
        `Warning: converted the tatum-kms wallet file to format v2; the original is kept as ${backup}, protected only by the weak tatum-kms encryption (crypto-js, MD5 key derivation): delete it once you have checked the conversion (changepassword offers to)`,
      ]);
      expect(conversion.stderr).not.toContain(PASSWORD);
    });

    it('report lists it in warnings (an array of strings) and checkconfig as a Warning row', async () => {
      const report = json<{ warnings: string[] }>(await runKmsInProcess(['report', '--path', path], { env }));
      expect(report.warnings).toEqual([expect.stringMatching(BACKUP_WARNING)]);
      const config = await runKmsInProcess(['checkconfig', '--path', path], { env: { HOME: dir } });
      expect(config.code).toBe(0);
      expect(config.stdout).toMatch(new RegExp(`^Warning\\s*: ${BACKUP_WARNING.source}`, 'm'));
    }, 60_000);

    it('changepassword offers to delete it; no (the default) keeps it, and it still opens with the old password', async () => {
      const changed = await runKmsInProcess(['changepassword', '--path', path], {
        env,
        input: `${NEW_PASSWORD}\n${NEW_PASSWORD}\n\n`,
      });
      expect(changed.code).toBe(0);
      expect(changed.stderr).toContain(
        'Password changed; the data key was rotated and 4 wallets re-encrypted.',
      );
      expect(changed.stderr).toMatch(BACKUP_WARNING);
      expect(changed.stderr).toContain(`Kept ${backup}.`);
      expect(decryptLegacyWalletFile(readFileSync(backup, 'utf8').trim(), PASSWORD, backup)).toEqual(
        LEGACY_MAP,
      );
      expect(changed.stderr).not.toContain(NEW_PASSWORD);
    }, 60_000);

    it('answered yes, it is deleted; the wallets stay readable with the new password', async () => {
      const newEnv = { ...env, TATUM_KMS_PASSWORD: NEW_PASSWORD };
      const changed = await runKmsInProcess(['changepassword', '--path', path], {
        env: newEnv,
        input: `${NEW_PASSWORD}-2\n${NEW_PASSWORD}-2\ny\n`,
      });
      expect(changed.code).toBe(0);
      expect(changed.stderr).toContain(`Deleted ${backup}.`);
      expect(existsSync(backup)).toBe(false);
      const exported = json<Record<string, unknown>>(
        await runKmsInProcess(['export', '--path', path], {
          env: { ...env, TATUM_KMS_PASSWORD: `${NEW_PASSWORD}-2` },
        }),
      );
      expect(exported).toMatchObject(LEGACY_MAP);
      const report = json<{ warnings?: string[] }>(
        await runKmsInProcess(['report', '--path', path], {
          env: { ...env, TATUM_KMS_PASSWORD: `${NEW_PASSWORD}-2` },
        }),
      );
      // as in tatum-kms, no warnings means no `warnings` field
      expect(report.warnings).toBeUndefined();
    }, 60_000);
  });
});
