import { join } from 'node:path';
import vectors from './fixtures/derivation.json';
import { json, runKms, tempDir, type KmsRun } from './support/kms-cli';
import { runKmsInProcess } from './support/kms-in-process';
import { writeTestWalletFile } from './support/wallet-files';

/**
 * Every derivation vector of test/fixtures/derivation.json (produced by Tatum's own SDK) is
 * reproduced through the CLI's commands: storemanagedwallet with the mnemonic piped in, then
 * getaddress and getprivatekey for every index given. The whole set runs in-process (the same
 * entry point as the executable); one chain of each family also runs through the built executable.
 */
const PASSWORD = 'vector-test-password';
const HD_CHAINS = [
  'BTC',
  'LTC',
  'DOGE',
  'BCH',
  'ETH',
  'BSC',
  'MATIC',
  'CELO',
  'KLAY',
  'ONE',
  'XDC',
  'TRON',
  'VET',
  'FLOW',
] as const;

interface Case {
  chain: string;
  testnet: boolean;
  xpub?: string;
  addresses: Record<string, string>;
  privateKeys: Record<string, string>;
}

type NetworkVectors = {
  generateWallet: { result: { xpub: string } };
  generateAddressFromXPub: Record<string, string>;
  generatePrivateKeyFromMnemonic: Record<string, string>;
};

const indexesOf = (record: Record<string, unknown>) => Object.keys(record).filter((key) => /^\d+$/.test(key));

function cases(): Case[] {
  const all: Case[] = [];
  for (const chain of HD_CHAINS) {
    for (const testnet of [false, true]) {
      const v = (vectors.chains as unknown as Record<string, Record<string, NetworkVectors>>)[chain][
        testnet ? 'testnet' : 'mainnet'
      ];
      const addresses: Record<string, string> = {};
      const privateKeys: Record<string, string> = {};
      for (const i of indexesOf(v.generateAddressFromXPub)) addresses[i] = v.generateAddressFromXPub[i];
      for (const i of indexesOf(v.generatePrivateKeyFromMnemonic))
        privateKeys[i] = v.generatePrivateKeyFromMnemonic[i];
      all.push({ chain, testnet, xpub: v.generateWallet.result.xpub, addresses, privateKeys });
    }
  }
  // EGLD has no xpub: its addresses come from the mnemonic (the SDK's xpub-based ones are a bug, see notes)
  for (const testnet of [false, true]) {
    const v = vectors.chains.EGLD[testnet ? 'testnet' : 'mainnet'] as unknown as {
      generateAddressFromXPub_mnemonicAsXpub: Record<string, string>;
      generatePrivateKeyFromMnemonic: Record<string, string>;
    };
    const addresses: Record<string, string> = {};
    const privateKeys: Record<string, string> = {};
    for (const i of indexesOf(v.generateAddressFromXPub_mnemonicAsXpub))
      addresses[i] = v.generateAddressFromXPub_mnemonicAsXpub[i];
    for (const i of indexesOf(v.generatePrivateKeyFromMnemonic))
      privateKeys[i] = v.generatePrivateKeyFromMnemonic[i];
    all.push({ chain: 'EGLD', testnet, addresses, privateKeys });
  }
  const sol = vectors.v2.A.SOL.generateAddressFromMnemonic as Record<
    string,
    { address: string; privateKey: string }
  >;
  for (const testnet of [false, true]) {
    const addresses: Record<string, string> = {};
    const privateKeys: Record<string, string> = {};
    for (const i of indexesOf(sol)) {
      addresses[i] = sol[i].address;
      privateKeys[i] = sol[i].privateKey;
    }
    all.push({ chain: 'SOL', testnet, addresses, privateKeys });
  }
  return all;
}

/** A few chains also go through the built executable (a process, piped stdin, JSON on stdout), at their first index. */
const SPAWNED = new Set(['BTC testnet', 'ETH mainnet', 'SOL mainnet']);
const firstOnly = (record: Record<string, string>) => Object.fromEntries(Object.entries(record).slice(0, 1));

type Runner = (args: string[], options: { env: Record<string, string>; input?: string }) => Promise<KmsRun>;

describe.each([
  ['in-process', runKmsInProcess as Runner, (c: Case) => c],
  [
    'through the executable',
    runKms as Runner,
    (c: Case) =>
      SPAWNED.has(`${c.chain} ${c.testnet ? 'testnet' : 'mainnet'}`)
        ? { ...c, addresses: firstOnly(c.addresses), privateKeys: firstOnly(c.privateKeys) }
        : undefined,
  ],
])('derivation vectors through the CLI (%s)', (_how, run, select) => {
  const { dir, cleanup } = tempDir();
  const stderrs: string[] = [];
  afterAll(cleanup);

  const kms = async (args: string[], input?: string): Promise<KmsRun> => {
    const result = await run(args, { env: { TATUM_KMS_PASSWORD: PASSWORD, HOME: dir }, input });
    stderrs.push(result.stderr);
    return result;
  };

  const selected = cases().flatMap((c) => select(c) ?? []);
  it.each(selected.map((c) => [`${c.chain} ${c.testnet ? 'testnet' : 'mainnet'}`, c] as const))(
    '%s',
    async (_name, c) => {
      const path = join(dir, `${c.chain}-${c.testnet}.dat`);
      await writeTestWalletFile(path, PASSWORD);
      const net = c.testnet ? ['--testnet'] : [];
      const stored = json<{ signatureId: string; xpub?: string }>(
        await kms(['storemanagedwallet', c.chain, '--path', path, ...net], `${vectors.mnemonic}\n`),
      );
      expect(stored.signatureId).toMatch(/^[0-9a-f-]{36}$/);
      if (c.xpub) expect(stored.xpub).toBe(c.xpub);
      for (const [i, address] of Object.entries(c.addresses)) {
        expect(json(await kms(['getaddress', stored.signatureId, i, '--path', path]))).toEqual({ address });
      }
      for (const [i, privateKey] of Object.entries(c.privateKeys)) {
        expect(json(await kms(['getprivatekey', stored.signatureId, i, '--path', path]))).toEqual({
          privateKey,
        });
      }
    },
    120_000,
  );

  it('never echoes the mnemonic or the password on stderr', () => {
    const all = stderrs.join('\n');
    expect(stderrs.length).toBeGreaterThan(0);
    expect(all).not.toContain(vectors.mnemonic);
    expect(all).not.toContain(PASSWORD);
  });
});
