import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Transaction as EvmTransaction } from 'ethers';
import vectors from './fixtures/derivation.json';
import { Anvil } from './support/anvil';
import { FakeAnswer, FakeTatumApi, type RecordedRequest } from './support/fake-tatum-api';
import { json, tempDir } from './support/kms-cli';
import { runKmsInProcess } from './support/kms-in-process';
import { usePostgresDatabase } from './support/postgres';
import { writeTestWalletFile } from './support/wallet-files';

/**
 * changepassword re-seals the signing journal: a daemon signs an ETH transaction on anvil whose
 * broadcast the API refuses; the password is changed; the next daemon, with the new password, sends
 * the recorded bytes again (same hash: nothing re-signed although the gas price moved), `journal
 * verify` still accepts the chain and `journal list --with-tx` opens the transaction. Embedded and
 * PostgreSQL journals alike; without a journal, changepassword creates none.
 */
const OLD_PASSWORD = 'reseal-old-password';
const NEW_PASSWORD = 'reseal-new-password';
const API_KEY = 'reseal-api-key';
const CHAIN_ID = 11155111;

function resealSpec(journal: 'embedded' | 'postgres') {
  describe(`changepassword re-seals the signing journal (${journal}, ETH on anvil)`, () => {
    const { dir, cleanup } = tempDir();
    const path = join(dir, 'wallets', 'wallet.dat');
    const journalFile = join(dir, 'wallets', 'journal.sqlite');
    const from = vectors.chains.ETH.testnet.generateAddressFromXPub['0'];
    const to = '0x00000000000000000000000000000000000000e7';
    const pg = journal === 'postgres' ? usePostgresDatabase() : undefined;
    let api: FakeTatumApi;
    let anvil: Anvil;
    let signatureId: string;
    let refuseBroadcast = false;
    const env = (password: string) => ({
      TATUM_KMS_PASSWORD: password,
      TATUM_API_URL: api.url,
      HOME: dir,
      ...(pg ? { TATUM_KMS_JOURNAL: pg.url() } : {}),
    });
    const kms = (args: string[], password: string, input?: string) =>
      runKmsInProcess([...args, '--path', path], { env: env(password), input });
    const daemonOnce = (password: string) =>
      kms(['daemon', '--runOnce', '--testnet', '--chain', 'ETH', '--apiKey', API_KEY], password);
    const changePassword = (from: string, to: string) => kms(['changepassword'], from, `${to}\n${to}\n`);
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
      await writeTestWalletFile(path, OLD_PASSWORD);
      ({ signatureId } = json<{ signatureId: string }>(
        await kms(
          ['storemanagedprivatekey', 'ETH', '--testnet'],
          OLD_PASSWORD,
          `${vectors.chains.ETH.testnet.generatePrivateKeyFromMnemonic['0']}\n`,
        ),
      ));
      await anvil.setBalance(from, 10n ** 19n);
    }, 120_000);
    afterAll(async () => {
      await anvil?.stop();
      await api?.stop();
      cleanup();
    });

    it('without a journal, changepassword creates none and says nothing of it', async () => {
      const changed = await changePassword(OLD_PASSWORD, 'interim-password');
      expect(changed.stderr).toBe('Password changed; the data key was rotated and 1 wallet re-encrypted.\n');
      expect(changed.code).toBe(0);
      expect(existsSync(journalFile)).toBe(false);
      if (pg) {
        const list = await kms(['journal', 'list'], 'interim-password');
        expect(JSON.parse(list.stderr).error).toMatch(/holds no signing journal/);
      }
      expect((await changePassword('interim-password', OLD_PASSWORD)).code).toBe(0);
    }, 120_000);

    it('the recorded bytes are sent again with the new password, nothing re-signed; verify and list --with-tx work', async () => {
      api.addPending({
        id: 'eth-reseal',
        chain: 'ETH',
        hashes: [signatureId],
        serializedTransaction: JSON.stringify({ to, value: '1000000000000000' }),
      });
      refuseBroadcast = true;
      expect((await daemonOnce(OLD_PASSWORD)).code).toBe(1);
      const [failed] = broadcastsOf('eth-reseal');
      const txData = txDataOf(failed);

      const changed = await changePassword(OLD_PASSWORD, NEW_PASSWORD);
      expect(changed.code).toBe(0);
      expect(changed.stderr).toBe(
        'Password changed; the data key was rotated and 1 wallet re-encrypted; 1 signing journal record re-sealed.\n',
      );
      expect(changed.stdout + changed.stderr).not.toContain(NEW_PASSWORD);
      // run again (as after an interruption): nothing is left to re-seal
      const again = await changePassword(NEW_PASSWORD, NEW_PASSWORD);
      expect(again.stderr).toMatch(/; 0 signing journal records re-sealed\.\n$/);

      // the network moves on: a re-signed transaction would carry another gas price, hence another hash
      api.setFee({ slow: '4000000000', medium: '5000000000', fast: '6000000000' });
      refuseBroadcast = false;
      expect((await daemonOnce(NEW_PASSWORD)).code).toBe(0);
      const [, resent] = broadcastsOf('eth-reseal');
      expect(txDataOf(resent)).toBe(txData);
      const signed = EvmTransaction.from(txData);
      expect((await anvil.receipt(signed.hash!)).status).toBe('0x1');
      expect(await anvil.nonce(from)).toBe(1);

      const verify = await kms(['journal', 'verify'], NEW_PASSWORD);
      expect(verify.code).toBe(0);
      expect(JSON.parse(verify.stdout)).toEqual({ ok: true, entries: 5 });
      const entries = lines((await kms(['journal', 'list', '--with-tx'], NEW_PASSWORD)).stdout);
      expect(entries.map((entry) => entry.kind)).toEqual([
        'claimed',
        'signed',
        'failed',
        'resealed',
        'broadcast',
      ]);
      expect(entries[1]).toMatchObject({ signedTx: txData, signedTxHash: entries[3].signedTxHash });
      expect(entries[3]).toMatchObject({ signedTx: txData, replica: 'changepassword' });
      expect(entries[4].txId).toBe(signed.hash);
      expect(JSON.stringify(entries)).not.toMatch(/sealedTx|signedTxProblem|reseal-.*-password/);
    }, 240_000);
  });
}

resealSpec('embedded');
resealSpec('postgres');
