import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Test } from '@nestjs/testing';
import { ChainModule, ChainRegistry } from '@kms/chains';
import { finished, json, runKms, startKms, tempDir, type KmsRun } from './support/kms-cli';

/**
 * `tatum-kms sandbox` on a fresh HOME, offline: the built executable runs the daemon's flow against
 * its own embedded API and approval server, and says what happened to each pending transaction. The
 * spec reads the JSON lines and the table, and compares the output with every secret of the store it
 * wrote (exported with the same password, HD keys derived at every index the demo uses).
 */
const PASSWORD = 'sandbox-e2e-password';
const DEFAULT_CHAINS = ['ETH', 'BTC', 'SOL', 'TRON', 'XRP'];

interface Row {
  pendingId: string;
  chain: string;
  transaction: string;
  approval: string;
  outcome: string;
  txId?: string;
  reason?: string;
  reportedToApi?: boolean;
  check?: { verified: boolean; detail: string };
  expected: string;
  asExpected: boolean;
}

describe('sandbox', () => {
  const { dir, cleanup } = tempDir('kms-sandbox-');
  const home = join(dir, 'home');
  const scratch = join(dir, 'tmp');
  const env = { HOME: home, TMPDIR: scratch, TATUM_KMS_PASSWORD: PASSWORD };
  const storePath = join(dir, 'sandbox.dat');
  let run: KmsRun;
  let rows: Row[];
  let seconds: number;

  beforeAll(async () => {
    mkdirSync(home);
    mkdirSync(scratch);
    const started = performance.now();
    // debug: every line the daemon can write is in the output the secret check reads
    run = await runKms(['sandbox', '--json', '--path', storePath], {
      env: { ...env, TATUM_KMS_LOG_LEVEL: 'debug' },
      timeoutMs: 120_000,
    });
    seconds = (performance.now() - started) / 1000;
    rows = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Row);
  }, 150_000);
  afterAll(cleanup);

  it('exits 0 with one JSON line per pending transaction, all as expected', () => {
    expect(run.stderr).not.toContain('"error"');
    expect(run.code).toBe(0);
    expect(rows.length).toBeGreaterThanOrEqual(DEFAULT_CHAINS.length + 4);
    expect(rows.filter((row) => !row.asExpected)).toEqual([]);
    process.stdout.write(`sandbox --json took ${seconds.toFixed(1)} s\n`);
  });

  it('signs and verifies every good transaction, at least one per default chain', () => {
    const good = rows.filter((row) => row.expected === 'signed');
    expect(new Set(good.map((row) => row.chain))).toEqual(new Set(DEFAULT_CHAINS));
    for (const row of good) {
      expect(row).toMatchObject({ approval: 'approved', outcome: 'signed', check: { verified: true } });
      expect(row.txId).toMatch(/^\S{40,}$/);
    }
  });

  it('does not sign the transaction the approval server denies', () => {
    const denied = rows.filter((row) => row.expected === 'denied');
    expect(denied).toHaveLength(1);
    expect(denied[0]).toMatchObject({ approval: 'denied', outcome: 'denied' });
    expect(denied[0].txId).toBeUndefined();
    expect(denied[0].reason).toMatch(/403/);
  });

  it('reports the bad transactions with their reasons, to the output and to the API', () => {
    const bad = rows.filter((row) => row.expected === 'failed');
    expect(bad.map((row) => row.outcome)).toEqual(['failed', 'failed', 'failed']);
    expect(bad.map((row) => row.reason)).toEqual([
      expect.stringMatching(
        /^Wallet \S+ is not one of the wallets this daemon asked pending transactions for/,
      ),
      expect.stringMatching(/serializedTransaction is not valid JSON/),
      expect.stringMatching(/serializedTransaction is missing/),
    ]);
    for (const row of bad) {
      expect(row.reportedToApi).toBe(true);
      expect(row.txId).toBeUndefined();
      expect(row.check).toBeUndefined();
    }
    expect(bad[2].approval).toBe('not asked');
  });

  it('logs the daemon lines to stderr, so stdout is only JSON lines', () => {
    expect(run.stderr).toMatch(/\[SigningPipeline\] Broadcast ETH transaction/);
    expect(run.stderr).toMatch(/\[Daemon\] Cycle: \d+ pending, \d+ broadcast, 1 denied, 3 failed/);
  });

  it('prints no secret of the store, nor the password or the API key', async () => {
    const wallets = json<Record<string, Record<string, string>>>(
      await runKms(['export', '--path', storePath], { env }),
    );
    expect(Object.values(wallets).map((wallet) => wallet.chain)).toEqual(DEFAULT_CHAINS);
    const moduleRef = await Test.createTestingModule({ imports: [ChainModule.forRoot()] }).compile();
    await moduleRef.init();
    const registry = moduleRef.get(ChainRegistry);
    const secrets: string[] = [PASSWORD];
    for (const wallet of Object.values(wallets)) {
      for (const field of ['mnemonic', 'privateKey', 'secret'])
        if (wallet[field]) secrets.push(wallet[field]);
      if (wallet.mnemonic) {
        for (let index = 0; index < 4; index++)
          secrets.push(await registry.get(wallet.chain).derivePrivateKey(wallet.mnemonic, index, false));
      }
    }
    await moduleRef.close();
    const output = run.stdout + run.stderr;
    for (const secret of secrets) {
      expect(output).not.toContain(secret);
      expect(output).not.toContain(secret.replace(/^0x/, ''));
    }
    expect(output).not.toMatch(/sandbox-[0-9a-f]{24}/);
  }, 60_000);

  it('prints the table by default, and leaves no file behind in a temp store', async () => {
    const table = await runKms(['sandbox', '--chains', 'btc,sol'], { env, timeoutMs: 120_000 });
    expect(table.code).toBe(0);
    const lines = table.stdout.split('\n');
    expect(lines[0]).toMatch(
      /^PENDING ID\s+CHAIN\s+TRANSACTION\s+APPROVAL\s+OUTCOME\s+TXID OR REASON\s+LOCAL CHECK$/,
    );
    expect(lines.filter((line) => /^[0-9a-f]{24}\s+(BTC|SOL)\s/.test(line))).toHaveLength(7);
    expect(table.stdout).toMatch(/\bsigned\s+\S+\s+verified: 2 inputs verify/);
    expect(table.stdout).toMatch(
      /^7 pending: 3 signed \(3 verified locally\), 1 denied, 3 failed; all as expected\./m,
    );
    expect(table.stdout).toMatch(/nothing was sent to any network/);
    expect(readdirSync(scratch)).toEqual([]);
  }, 150_000);

  it('refuses unknown chains and an existing --path, with a JSON error', async () => {
    const unknown = await runKms(['sandbox', '--chains', 'ETH,DOGE'], { env });
    expect(unknown.code).toBe(1);
    expect(JSON.parse(unknown.stderr.trim().split('\n').at(-1)!)).toEqual({
      error: '--chains: the sandbox has demo transactions for ETH, BTC, SOL, TRON, XRP, not DOGE',
    });
    const existing = join(dir, 'existing.dat');
    writeFileSync(existing, 'not a throwaway store');
    const refused = await runKms(['sandbox', '--path', existing], { env });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/"error":".*exists: the sandbox writes a new, throwaway store/);
    expect(existsSync(existing)).toBe(true);
  });

  it('--keep leaves the API running for another daemon, until SIGINT', async () => {
    const child = startKms(['sandbox', '--keep', '--chains', 'ETH,TRON'], { env });
    let stdout = '';
    child.stdout!.on('data', (chunk) => (stdout += chunk));
    const done = finished(child, 150_000);
    const deadline = Date.now() + 120_000;
    while (!/--runOnce\n/.test(stdout) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const command = /tatum-kms (daemon .*--runOnce)\n/.exec(stdout)![1].split(' ');
    expect(stdout).toMatch(/^  TATUM_API_URL=http:\/\/127\.0\.0\.1:\d+ /m);
    const envFile = command[command.indexOf('--envFile') + 1];
    expect(existsSync(envFile)).toBe(true);

    const daemon = await runKms(command, { env: { HOME: home }, timeoutMs: 120_000 });
    // the new transactions are signed; the denied and bad ones left by the sandbox's cycle stay so
    expect(daemon.stdout).toMatch(/\[Daemon\] Cycle: \d+ pending, 3 broadcast, 1 denied, 3 failed/);
    expect(daemon.stdout.match(/Broadcast (ETH|TRON) transaction/g)).toHaveLength(3);

    child.kill('SIGINT');
    const kept = await done;
    expect(kept.code).toBe(0);
    expect(existsSync(envFile)).toBe(false);
    expect(readdirSync(scratch)).toEqual([]);
    expect(kept.stdout + kept.stderr + daemon.stdout + daemon.stderr).not.toContain(PASSWORD);
  }, 180_000);
});
