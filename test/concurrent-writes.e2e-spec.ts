import { join } from 'node:path';
import { finished, inBatches, json, runKms, startKms, tempDir } from './support/kms-cli';
import { writeTestWalletFile } from './support/wallet-files';

/** Many processes on one wallet file never lose an entry; a SIGKILL mid-write never corrupts it. */
const PASSWORD = 'concurrency-password';

describe('concurrent and interrupted writes', () => {
  const { dir, cleanup } = tempDir();
  const env = { TATUM_KMS_PASSWORD: PASSWORD, HOME: dir };
  afterAll(cleanup);

  it('20 concurrent generatemanagedwallet processes leave exactly 20 new entries', async () => {
    const path = join(dir, 'concurrent.dat');
    await writeTestWalletFile(path, PASSWORD);
    json(await runKms(['generatemanagedwallet', 'ETH', '--path', path], { env }));
    const runs = await Promise.all(
      Array.from({ length: 20 }, () =>
        runKms(['generatemanagedwallet', 'BTC', '--path', path], { env, timeoutMs: 120_000 }),
      ),
    );
    const ids = runs.map((run) => json<{ signatureId: string }>(run).signatureId);
    const exported = json<Record<string, { chain: string }>>(
      await runKms(['export', '--path', path], { env }),
    );
    expect(Object.keys(exported)).toHaveLength(21);
    for (const id of ids) expect(exported[id]).toMatchObject({ chain: 'BTC' });
  }, 180_000);

  it('processes killed with SIGKILL mid-write never leave a broken file or lose a reported entry', async () => {
    const path = join(dir, 'killed.dat');
    await writeTestWalletFile(path, PASSWORD);
    const reported: string[] = [];
    json(await runKms(['generatemanagedwallet', 'ETH', '--path', path], { env }));
    reported.push(...Object.keys(json(await runKms(['export', '--path', path], { env }))));
    let killed = 0;
    // 12 rounds, 3 at a time, each killed 300 to 1,800 ms into its run (spread by a 197 ms step): from
    // start-up through key generation to the write itself, whatever the machine's speed
    const rounds = Array.from({ length: 12 }, (_, round) => async () => {
      const child = startKms(['generatemanagedprivatekeybatch', 'ETH', '200', '--path', path], { env });
      const delay = 300 + ((round * 197) % 1500);
      const timer = setTimeout(() => child.kill('SIGKILL'), delay);
      const run = await finished(child, 60_000);
      clearTimeout(timer);
      if (run.signal === 'SIGKILL') killed++;
      if (run.code === 0)
        reported.push(
          ...run.stdout
            .trim()
            .split('\n')
            .map((line) => JSON.parse(line).signatureId),
        );
    });
    await inBatches(rounds, 3);
    const exported = json<Record<string, unknown>>(
      await runKms(['export', '--path', path], { env, timeoutMs: 60_000 }),
    );
    for (const id of reported) expect(exported[id]).toBeDefined();
    // Most rounds are killed at some point of their run; the interesting ones die inside the write.
    expect(killed).toBeGreaterThan(0);
  }, 300_000);
});
