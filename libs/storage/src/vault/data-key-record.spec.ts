import { deriveKek, newScryptParams } from '../file/wallet-file.codec';
import {
  firstDataKey,
  nextDataKey,
  openDataKeyRecord,
  parseDataKeyRecord,
  sealDataKeyRecord,
} from './data-key-record';
import { openWalletSecret, readWalletSecret, sealWalletSecret } from './vault-secret.codec';

const FAST = { N: 1024, r: 8, p: 1 };
const NAME = 'kms-data-key';
const kek = (password: string) => deriveKek(password, newScryptParams(FAST));

describe('data key record', () => {
  it('keeps the version 1 format until the first rotation', async () => {
    const keys = firstDataKey(await kek('one'));
    const text = sealDataKeyRecord(keys.record);
    expect(JSON.parse(text)).toEqual({
      format: 'tatum-kms-vault-key',
      version: 1,
      kdf: { name: 'scrypt', N: 1024, r: 8, p: 1, salt: expect.any(String) },
      wrappedKey: expect.any(String),
    });
    const opened = await openDataKeyRecord(parseDataKeyRecord(text, NAME), 'one', NAME);
    expect(opened.current.dataKey.equals(keys.current.dataKey)).toBe(true);
    expect([...opened.byGeneration.keys()]).toEqual([0]);
  });

  it('a new generation opens with the new password only and carries every older key', async () => {
    const zero = firstDataKey(await kek('one'));
    const one = nextDataKey(zero, await kek('two'));
    const two = nextDataKey(one, await kek('three'));
    const record = parseDataKeyRecord(sealDataKeyRecord(two.record), NAME);
    expect(record).toMatchObject({ generation: 2, rotating: false });
    await expect(openDataKeyRecord(record, 'two', NAME)).rejects.toMatchObject({ code: 'WRONG_PASSWORD' });
    const opened = await openDataKeyRecord(record, 'three', NAME);
    expect(opened.byGeneration.get(0)!.equals(zero.current.dataKey)).toBe(true);
    expect(opened.byGeneration.get(1)!.equals(one.current.dataKey)).toBe(true);
    expect(opened.byGeneration.get(2)!.equals(two.current.dataKey)).toBe(true);
    expect(two.current.dataKey.equals(one.current.dataKey)).toBe(false);
  });

  it('the older keys are bound to their record: moved to another generation they fail', async () => {
    const one = nextDataKey(firstDataKey(await kek('one')), await kek('two'));
    const json = JSON.parse(sealDataKeyRecord(one.record));
    const moved = parseDataKeyRecord(JSON.stringify({ ...json, generation: 5 }), NAME);
    await expect(openDataKeyRecord(moved, 'two', NAME)).rejects.toThrow(
      'The data key secret kms-data-key is damaged: its earlier data keys fail their integrity check',
    );
  });

  it.each([
    [{ version: 3 }, 'version 3 is not supported'],
    [{ generation: -1 }, 'field "generation" is missing or invalid'],
    [{ generation: 1.5 }, 'field "generation" is missing or invalid'],
    [{ olderKeys: undefined }, 'field "olderKeys" is missing'],
    [{ olderKeys: 'not base64!' }, 'field "olderKeys" is invalid'],
    [{ rotating: 'yes' }, 'field "rotating" is invalid'],
  ])('refuses a damaged version 2 record (%p)', async (change, detail) => {
    const one = nextDataKey(firstDataKey(await kek('one')), await kek('two'));
    const text = JSON.stringify({ ...JSON.parse(sealDataKeyRecord(one.record)), ...change });
    expect(() => parseDataKeyRecord(text, NAME)).toThrow(`The data key secret ${NAME} is damaged: ${detail}`);
  });
});

describe('wallet secret generations', () => {
  const entry = { privateKey: '0x' + '11'.repeat(32), chain: 'ETH', testnet: false };

  it('names its generation, which is authenticated with the name', () => {
    const key = Buffer.alloc(32, 7);
    const sealed = sealWalletSecret(entry, 'kms-a', key, 3);
    expect(JSON.parse(sealed)).toMatchObject({ v: 2, g: 3 });
    expect(openWalletSecret(readWalletSecret(sealed, 'a'), 'kms-a', key, 'a')).toEqual(entry);
    const relabelled = JSON.stringify({ ...JSON.parse(sealed), g: 4 });
    expect(() => openWalletSecret(readWalletSecret(relabelled, 'a'), 'kms-a', key, 'a')).toThrow(
      /fails its integrity check/,
    );
  });

  it('writes generation 0 in the version 1 format', () => {
    const key = Buffer.alloc(32, 9);
    const sealed = sealWalletSecret(entry, 'kms-a', key, 0);
    expect(Object.keys(JSON.parse(sealed)).sort()).toEqual(['data', 'iv', 'tag', 'v']);
    expect(readWalletSecret(sealed, 'a').generation).toBe(0);
    expect(() => readWalletSecret(JSON.stringify({ ...JSON.parse(sealed), v: 2, g: 0 }), 'a')).toThrow(
      /not an encrypted wallet of this KMS/,
    );
  });
});
