import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import vectors from './fixtures/derivation.json';
import { json, runKms, tempDir, type KmsRun } from './support/kms-cli';
import { runKmsInProcess } from './support/kms-in-process';
import { writeTestWalletFile } from './support/wallet-files';

/**
 * Bad input gets a clear JSON error on stderr, a non-zero exit code, and leaves the wallet file
 * byte-for-byte unchanged. No secret used here ever shows up in any output it was not asked for.
 * Every case runs in-process (the executable's own entry point); the process contract itself (exit
 * status, one JSON line on stderr, nothing on stdout) is checked on the built executable too.
 */
const PASSWORD = 'bad-input-password';
const SECRETS = [PASSWORD, vectors.mnemonic, vectors.chains.ETH.mainnet.generatePrivateKeyFromMnemonic['0']];
const BAD_CHECKSUM_MNEMONIC = vectors.mnemonic.replace(/abuse$/, 'about');

describe('bad input', () => {
  const { dir, cleanup } = tempDir();
  const path = join(dir, 'wallet.dat');
  const env = { TATUM_KMS_PASSWORD: PASSWORD, HOME: dir };
  const outputs: string[] = [];
  let mnemonicId: string;
  let keyId: string;
  afterAll(cleanup);

  const kms = async (
    args: string[],
    options: { env?: Record<string, string>; input?: string; spawned?: boolean } = {},
  ) => {
    const run = await (options.spawned ? runKms : runKmsInProcess)(args, {
      env: { ...env, ...options.env },
      input: options.input,
    });
    outputs.push(run.stderr);
    return run;
  };

  const expectRejected = (run: KmsRun, message: RegExp) => {
    expect(run.code).not.toBe(0);
    expect(run.stdout).toBe('');
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0])).toEqual({ error: expect.stringMatching(message) });
  };

  beforeAll(async () => {
    await writeTestWalletFile(path, PASSWORD);
    mnemonicId = json<{ signatureId: string }>(
      await kms(['storemanagedwallet', 'ETH', '--path', path], { input: `${vectors.mnemonic}\n` }),
    ).signatureId;
    keyId = json<{ signatureId: string }>(
      await kms(['storemanagedprivatekey', 'ETH', '--path', path], { input: `${SECRETS[2]}\n` }),
    ).signatureId;
  }, 60_000);

  const cases: Array<[string, () => Promise<KmsRun>, RegExp]> = [
    [
      'wrong password',
      () => kms(['export', '--path', path], { env: { TATUM_KMS_PASSWORD: 'wrong' } }),
      /wrong password/i,
    ],
    ['unknown chain', () => kms(['generatemanagedwallet', 'NOPE', '--path', path]), /unsupported chain/i],
    [
      'unknown signatureId',
      () => kms(['getaddress', '00000000-0000-4000-8000-000000000000', '0', '--path', path]),
      /no such wallet/i,
    ],
    [
      'mnemonic with a bad checksum',
      () => kms(['storemanagedwallet', 'ETH', '--path', path], { input: `${BAD_CHECKSUM_MNEMONIC}\n` }),
      /invalid mnemonic/i,
    ],
    [
      'private key of the wrong form',
      () => kms(['storemanagedprivatekey', 'BTC', '--path', path], { input: `${SECRETS[2]}\n` }),
      /invalid private key for BTC/i,
    ],
    ['negative index', () => kms(['getaddress', mnemonicId, '-1', '--path', path]), /index/i],
    ['non-integer index', () => kms(['getprivatekey', mnemonicId, '1.5', '--path', path]), /invalid index/i],
    [
      'index on a key wallet',
      () => kms(['getprivatekey', keyId, '3', '--path', path]),
      /single private key/i,
    ],
  ];

  it.each(cases)('%s', async (_name, act, message) => {
    const before = readFileSync(path);
    expectRejected(await act(), message);
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('a corrupted file', async () => {
    const corrupt = join(dir, 'corrupt.dat');
    const envelope = JSON.parse(readFileSync(path, 'utf8'));
    const data = Buffer.from(envelope.data, 'base64');
    data[data.length >> 1] ^= 0xff;
    writeFileSync(corrupt, JSON.stringify({ ...envelope, data: data.toString('base64') }));
    const before = readFileSync(corrupt);
    expectRejected(await kms(['generatemanagedwallet', 'ETH', '--path', corrupt]), /damaged|corrupt/i);
    expect(readFileSync(corrupt).equals(before)).toBe(true);
  });

  it('a file of another format', async () => {
    const other = join(dir, 'other.dat');
    writeFileSync(other, 'just some text, not a wallet');
    expectRejected(await kms(['export', '--path', other]), /not a wallet file/i);
    expectRejected(await kms(['generatemanagedwallet', 'ETH', '--path', other]), /not a wallet file/i);
    expect(readFileSync(other, 'utf8')).toBe('just some text, not a wallet');
  });

  it('an unwritable folder', async () => {
    const folder = join(dir, 'readonly');
    mkdirSync(folder);
    const inside = join(folder, 'wallet.dat');
    writeFileSync(inside, readFileSync(path));
    const before = readFileSync(inside);
    // As root, permission bits do not stop writes: occupy the temp-file name with a folder instead.
    if (process.getuid?.() === 0) mkdirSync(`${inside}.tmp`);
    else chmodSync(folder, 0o500);
    try {
      expectRejected(await kms(['generatemanagedwallet', 'ETH', '--path', inside]), /could not write/i);
    } finally {
      chmodSync(folder, 0o700);
    }
    expect(readFileSync(inside).equals(before)).toBe(true);
  });

  it('usage errors are JSON too', async () => {
    expectRejected(await kms(['getaddress']), /missing required argument/i);
    expectRejected(await kms(['nosuchcommand']), /unknown command/i);
  });

  it('the executable exits non-zero with one JSON line on stderr and nothing on stdout', async () => {
    const before = readFileSync(path);
    expectRejected(
      await kms(['export', '--path', path], { env: { TATUM_KMS_PASSWORD: 'wrong' }, spawned: true }),
      /wrong password/i,
    );
    expectRejected(
      await kms(['storemanagedwallet', 'ETH', '--path', path], {
        input: `${BAD_CHECKSUM_MNEMONIC}\n`,
        spawned: true,
      }),
      /invalid mnemonic/i,
    );
    expectRejected(await kms(['getaddress'], { spawned: true }), /missing required argument/i);
    expectRejected(await kms(['nosuchcommand'], { spawned: true }), /unknown command/i);
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('no secret appears in any error output', () => {
    const all = outputs.join('\n');
    for (const secret of SECRETS) expect(all).not.toContain(secret);
  });
});
