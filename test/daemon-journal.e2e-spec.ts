import { copyFileSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { Transaction as EvmTransaction } from 'ethers';
import vectors from './fixtures/derivation.json';
import { Anvil } from './support/anvil';
import { FakeAnswer, FakeTatumApi, type RecordedRequest } from './support/fake-tatum-api';
import { json, tempDir } from './support/kms-cli';
import { runKmsInProcess } from './support/kms-in-process';
import { usePostgresDatabase } from './support/postgres';
import { writeTestWalletFile } from './support/wallet-files';

/**
 * The signing journal with real parts: daemons (`--runOnce`, one process after the other, so every
 * guarantee holds across restarts) sign ETH transactions whose nonce and gas price come from anvil.
 * - A broadcast the API refused is sent again next run with the SAME bytes (same nonce, gas price,
 *   hash), although the network's gas price changed meanwhile: a re-signed one would differ.
 * - The same pending id served again with another payload is refused with a clear reason, never
 *   signed: anvil sees no second transaction from the wallet.
 * - `journal list` prints the history as JSON lines without the signed bytes (only with --with-tx);
 *   `journal verify` accepts it, and fails naming the entry once one is edited or removed (the
 *   SQLite file changed behind the journal's back with node:sqlite).
 * The first two hold on both adapters: the embedded one and PostgreSQL (a real server started for the
 * spec, TATUM_KMS_JOURNAL=postgres://...); list and verify are shown on the embedded one.
 */
const PASSWORD = 'journal-password';
const API_KEY = 'journal-api-key';
const CHAIN_ID = 11155111;

function journalSpec(adapter: 'embedded' | 'postgres') {
  describe(`daemon: the signing journal (${adapter}, ETH on anvil)`, () => {
    const pg = adapter === 'postgres' ? usePostgresDatabase() : undefined;
    const { dir, cleanup } = tempDir();
    const path = join(dir, 'wallets', 'wallet.dat');
    const journalFile = join(dir, 'wallets', 'journal.sqlite');
    const from = vectors.chains.ETH.testnet.generateAddressFromXPub['0'];
    const to = '0x00000000000000000000000000000000000000e7';
    let api: FakeTatumApi;
    let anvil: Anvil;
    let signatureId: string;
    let refuseBroadcast = false;
    const env = () => ({
      TATUM_KMS_PASSWORD: PASSWORD,
      TATUM_API_URL: api.url,
      HOME: dir,
      ...(pg ? { TATUM_KMS_JOURNAL: pg.url() } : {}),
    });
    const kms = (args: string[], walletPath = path) =>
      runKmsInProcess([...args, '--path', walletPath], { env: env() });
    const daemonOnce = () => kms(['daemon', '--runOnce', '--testnet', '--chain', 'ETH', '--apiKey', API_KEY]);
    const broadcastsOf = (id: string): RecordedRequest[] =>
      api.requestsTo('broadcast').filter((r) => (r.body as { signatureId?: string })?.signatureId === id);
    const txDataOf = (request: RecordedRequest) => (request.body as { txData: string }).txData;
    const lines = (stdout: string) =>
      stdout
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>);

    beforeAll(async () => {
      api = await FakeTatumApi.start({ apiKey: API_KEY });
      anvil = await Anvil.start({ chainId: CHAIN_ID });
      api.forwardNonces((_path, address) => anvil.nonce(address));
      api.onRpc('ETH', (method, params) => anvil.rpc(method, params as unknown[]));
      api.setFee({ slow: '1000000000', medium: '2000000000', fast: '3000000000' });
      api.forwardBroadcasts('ETH', async (txData) => {
        if (refuseBroadcast) throw new FakeAnswer(400, { message: 'nonce too low' });
        return anvil.sendRawTransaction(txData);
      });
      mkdirSync(join(dir, 'wallets'));
      await writeTestWalletFile(path, PASSWORD);
      ({ signatureId } = json<{ signatureId: string }>(
        await runKmsInProcess(['storemanagedprivatekey', 'ETH', '--testnet', '--path', path], {
          env: env(),
          input: `${vectors.chains.ETH.testnet.generatePrivateKeyFromMnemonic['0']}\n`,
        }),
      ));
      await anvil.setBalance(from, 10n ** 19n);
    }, 60_000);
    afterAll(async () => {
      await anvil?.stop();
      await api?.stop();
      cleanup();
    });

    it('a broadcast the API refused is sent again by the next daemon with the same bytes, never re-signed', async () => {
      api.addPending({
        id: 'eth-retry',
        chain: 'ETH',
        hashes: [signatureId],
        serializedTransaction: JSON.stringify({ to, value: '1000000000000000' }),
      });
      refuseBroadcast = true;
      const first = await daemonOnce();
      expect(first.code).toBe(1);
      if (adapter === 'embedded') {
        expect(statSync(journalFile).mode & 0o777).toBe(0o600);
        // sealed at the store key's cost: this store's N is 2^10, hence js2.10 (a default store: js1)
        const db = new DatabaseSync(journalFile, { readOnly: true });
        const row = db.prepare('SELECT sealed_tx FROM ids WHERE pending_id = ?').get('eth-retry');
        db.close();
        expect((row as { sealed_tx: string }).sealed_tx).toMatch(/^js2\.10\./);
      }

      // the network moves on: a re-signed transaction would carry another gas price, hence another hash
      api.setFee({ slow: '4000000000', medium: '5000000000', fast: '6000000000' });
      refuseBroadcast = false;
      const second = await daemonOnce();
      expect(second.code).toBe(0);

      const [failed, resent] = broadcastsOf('eth-retry');
      expect(txDataOf(resent)).toBe(txDataOf(failed));
      const signed = EvmTransaction.from(txDataOf(failed));
      expect(signed.nonce).toBe(0);
      expect(signed.gasPrice).toBeLessThan(4_000_000_000n);
      expect((await anvil.receipt(signed.hash!)).status).toBe('0x1');
      expect(await anvil.nonce(from)).toBe(1);
      expect(api.broadcasts.filter((b) => b.signatureId === 'eth-retry').map((b) => b.txData)).toEqual([
        txDataOf(failed),
      ]);
    }, 120_000);

    it('the same pending id served again with another payload is refused with a clear reason, never signed', async () => {
      const broadcastsBefore = api.requestsTo('broadcast').length;
      api.addPending({
        id: 'eth-retry',
        chain: 'ETH',
        hashes: [signatureId],
        serializedTransaction: JSON.stringify({ to, value: '9000000000000000' }),
      });
      const run = await daemonOnce();
      expect(run.code).toBe(1);
      expect(api.requestsTo('broadcast')).toHaveLength(broadcastsBefore);
      expect(
        api.errorBatches
          .flat()
          .filter((e) => e.signatureId === 'eth-retry')
          .at(-1)?.error,
      ).toMatch(/payload differs from the one signed for this id/);
      expect(await anvil.nonce(from)).toBe(1);
      expect(await anvil.balance(to)).toBe(1_000_000_000_000_000n);
    }, 120_000);

    if (adapter === 'postgres') return;

    it('journal list: the history as JSON lines, filtered, the signed bytes only with --with-tx', async () => {
      const all = lines((await kms(['journal', 'list'])).stdout);
      expect(all.map((entry) => entry.kind)).toEqual(['claimed', 'signed', 'failed', 'broadcast', 'refused']);
      expect(all.every((entry) => entry.pendingId === 'eth-retry' && entry.chain === 'ETH')).toBe(true);
      expect(JSON.stringify(all)).not.toMatch(/sealedTx|signedTx"|journal-password/);
      const txData = txDataOf(broadcastsOf('eth-retry')[0]);
      expect(all[3].txId).toBe(EvmTransaction.from(txData).hash);

      const signed = lines((await kms(['journal', 'list', '--outcome', 'signed', '--with-tx'])).stdout);
      expect(signed).toHaveLength(1);
      expect(signed[0].signedTx).toBe(txData);
      expect(lines((await kms(['journal', 'list', '--chain', 'BTC'])).stdout)).toEqual([]);
      expect(
        lines((await kms(['journal', 'list', '--since', '1h', '--outcome', 'refused'])).stdout),
      ).toHaveLength(1);
      const bad = await kms(['journal', 'list', '--outcome', 'lost']);
      expect(bad.code).not.toBe(0);
      expect(JSON.parse(bad.stderr).error).toMatch(/--outcome must be one of/);
    }, 60_000);

    describe('journal verify', () => {
      /** A copy of the wallet folder whose journal `damage` changed with node:sqlite. */
      const damaged = (name: string, damage: (db: DatabaseSync) => void): string => {
        const folder = join(dir, name);
        mkdirSync(folder);
        copyFileSync(path, join(folder, 'wallet.dat'));
        copyFileSync(journalFile, join(folder, 'journal.sqlite'));
        const db = new DatabaseSync(join(folder, 'journal.sqlite'));
        damage(db);
        db.close();
        return join(folder, 'wallet.dat');
      };

      it('accepts the journal as the daemons wrote it', async () => {
        const run = await kms(['journal', 'verify']);
        expect(run.code).toBe(0);
        expect(JSON.parse(run.stdout)).toEqual({ ok: true, entries: 5 });
      });

      it('fails on an edited entry, naming it', async () => {
        const walletPath = damaged('edited', (db) => {
          const { body } = db.prepare('SELECT body FROM entries WHERE seq = 3').get() as { body: string };
          const entry = JSON.parse(body);
          entry.reason = 'nothing happened';
          db.prepare('UPDATE entries SET body = ? WHERE seq = 3').run(JSON.stringify(entry));
        });
        const run = await kms(['journal', 'verify'], walletPath);
        expect(run.code).not.toBe(0);
        expect(JSON.parse(run.stderr).error).toMatch(/damaged at entry 3: the entry was edited/);
      });

      it('fails on a removed entry, naming it', async () => {
        const walletPath = damaged('removed', (db) => db.prepare('DELETE FROM entries WHERE seq = 2').run());
        const run = await kms(['journal', 'verify'], walletPath);
        expect(run.code).not.toBe(0);
        expect(JSON.parse(run.stderr).error).toMatch(/damaged at entry 2: entry 2 is missing/);
      });

      it('fails on a removed last entry', async () => {
        const walletPath = damaged('truncated', (db) =>
          db.prepare('DELETE FROM entries WHERE seq = 5').run(),
        );
        const run = await kms(['journal', 'verify'], walletPath);
        expect(run.code).not.toBe(0);
        expect(JSON.parse(run.stderr).error).toMatch(/damaged at entry 5/);
      });
    });
  });
}

journalSpec('embedded');
journalSpec('postgres');
