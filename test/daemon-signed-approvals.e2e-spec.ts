import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import vectors from './fixtures/derivation.json';
import { FakeTatumApi } from './support/fake-tatum-api';
import { json, tempDir } from './support/kms-cli';
import { runKmsInProcess } from './support/kms-in-process';
import { writeTestWalletFile } from './support/wallet-files';

/**
 * Signed approvals (`--externalUrlMethod SIGNED`) against the reference approval server of
 * examples/approval-server, behind a hostile proxy: only a fresh, correctly signed APPROVE for the
 * payload asked about lets a transaction be signed. An unsigned or wrongly signed answer, a replayed
 * approval, an approval of another payload hash, a rejection and a timeout are refused, nothing is
 * signed for them, and each is logged with its reason.
 */
const PASSWORD = 'signed-approvals-password';
const API_KEY = 'signed-approvals-api-key';
const SECRET = 'a-shared-approval-secret-of-32-bytes-or-more';
const REFERENCE_SERVER = join(__dirname, '..', 'examples', 'approval-server', 'server.js');
const TO = vectors.chains.ETH.mainnet.generateAddressFromXPub['1'];

/** How the proxy treats the approval of one pending id. */
type Mode = 'pass' | 'strip' | 'forge' | 'rehash' | 'record-then-fail' | 'replay' | 'hang';

interface Recorded {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/**
 * A man in the middle between the KMS and the approval server: it forwards requests and, by the
 * pending id's mode, tampers with the answer the way an attacker on the path (or a buggy server)
 * could. It never knows the secret, except for `rehash`, which plays a server that approves another
 * payload than the one it was asked about.
 */
class HostileProxy {
  readonly requests: Array<{ id: string; body: Record<string, unknown> }> = [];
  private readonly recorded = new Map<string, Recorded>();
  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(upstream: string, modeOf: (id: string) => Mode): Promise<HostileProxy> {
    const holder: { proxy?: HostileProxy } = {};
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', async () => {
        const body = Buffer.concat(chunks);
        const id = decodeURIComponent((req.url ?? '/').split('/').pop()!);
        holder.proxy!.requests.push({ id, body: JSON.parse(body.toString('utf8')) });
        const mode = modeOf(id);
        if (mode === 'hang') return; // never answers
        if (mode === 'replay') {
          const earlier = holder.proxy!.recorded.get(id);
          return res.writeHead(earlier!.status, earlier!.headers).end(earlier!.body);
        }
        const answer = await forward(upstream, req.url!, req.headers, body);
        if (mode === 'record-then-fail') {
          holder.proxy!.recorded.set(id, answer);
          return res.writeHead(503).end();
        }
        let { body: out } = answer;
        const headers = { ...answer.headers };
        if (mode === 'strip') delete headers['x-kms-signature'];
        if (mode === 'forge') headers['x-kms-signature'] = hmac(out, 'an attacker does not know the secret');
        if (mode === 'rehash') {
          out = Buffer.from(
            JSON.stringify({ ...JSON.parse(out.toString('utf8')), payloadHash: 'f'.repeat(64) }),
          );
          headers['x-kms-signature'] = hmac(out, SECRET);
        }
        delete headers['content-length'];
        res.writeHead(answer.status, headers).end(out);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    holder.proxy = new HostileProxy(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return holder.proxy;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

const hmac = (body: Buffer, secret: string) =>
  `hmac-sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

function forward(
  upstream: string,
  path: string,
  headers: IncomingHttpHeaders,
  body: Buffer,
): Promise<Recorded> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${upstream}${path}`, { method: 'POST', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function startReferenceServer(
  env: Record<string, string>,
): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [REFERENCE_SERVER], {
    env: { PATH: process.env.PATH, PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) resolve(match[1]);
    });
    child.on('exit', (code) => reject(new Error(`reference approval server exited (${code})`)));
  });
  return { url, child };
}

describe('daemon with signed approvals (reference server, hostile path)', () => {
  const { dir, cleanup } = tempDir();
  const path = join(dir, 'wallet.dat');
  let api: FakeTatumApi;
  let reference: { url: string; child: ChildProcess };
  let proxy: HostileProxy;
  let signatureId: string;
  const modes: Record<string, Mode> = {
    'tx-approved': 'pass',
    'tx-rejected': 'pass', // the reference server rejects it (REJECT_IDS)
    'tx-unsigned': 'strip',
    'tx-forged': 'forge',
    'tx-other-payload': 'rehash',
    'tx-replayed': 'record-then-fail',
    'tx-timeout': 'hang',
  };
  const env = () => ({
    TATUM_KMS_PASSWORD: PASSWORD,
    TATUM_API_URL: api.url,
    HOME: dir,
    TATUM_KMS_APPROVAL_SECRET: SECRET,
  });
  const daemon = () =>
    runKmsInProcess(
      [
        'daemon',
        '--runOnce',
        '--chain',
        'ETH',
        '--path',
        path,
        '--apiKey',
        API_KEY,
        '--externalUrl',
        proxy.url,
        '--externalUrlMethod',
        'SIGNED',
      ],
      { env: env(), timeoutMs: 90_000 },
    );

  beforeAll(async () => {
    api = await FakeTatumApi.start({ apiKey: API_KEY });
    reference = await startReferenceServer({ APPROVAL_SECRET: SECRET, REJECT_IDS: 'tx-rejected' });
    proxy = await HostileProxy.start(reference.url, (id) => modes[id] ?? 'pass');
    await writeTestWalletFile(path, PASSWORD);
    signatureId = json<{ signatureId: string }>(
      await runKmsInProcess(['storemanagedprivatekey', 'ETH', '--path', path], {
        env: env(),
        input: `${vectors.chains.ETH.mainnet.generatePrivateKeyFromMnemonic['0']}\n`,
      }),
    ).signatureId;
  }, 60_000);
  afterAll(async () => {
    await proxy.stop();
    reference.child.kill('SIGTERM');
    await api.stop();
    cleanup();
  });

  it('signs only what a fresh, correctly signed approval of that payload allows', async () => {
    api.addPending(
      Object.keys(modes).map((id, nonce) => ({
        id,
        chain: 'ETH',
        hashes: [signatureId],
        serializedTransaction: JSON.stringify({
          to: TO,
          value: String(1000 + nonce),
          nonce,
          gasPrice: '1000000000',
          gas: '21000',
        }),
      })),
    );
    const first = await daemon();
    expect(api.broadcasts.map((b) => b.signatureId)).toEqual(['tx-approved']);
    const log = first.stdout + first.stderr;
    expect(log).toMatch(
      /Not signing ETH transaction tx-rejected: rejected: this transaction is on the reject list/,
    );
    expect(log).toMatch(
      /Not signing ETH transaction tx-unsigned: the answer is not signed with the shared secret/,
    );
    expect(log).toMatch(
      /Not signing ETH transaction tx-forged: the answer is not signed with the shared secret/,
    );
    expect(log).toMatch(
      /Not signing ETH transaction tx-other-payload: the signed answer approves another payload/,
    );
    expect(log).toMatch(/Not signing ETH transaction tx-replayed: approval server answered 503/);
    expect(log).toMatch(/Not signing ETH transaction tx-timeout: approval server timed out/);
    expect(log).not.toContain(SECRET);

    // each request carried what will be signed: a payload hash of its own, a fresh nonce
    const bodies = proxy.requests.map((request) => request.body);
    expect(new Set(bodies.map((body) => body.payloadHash)).size).toBe(Object.keys(modes).length);
    expect(new Set(bodies.map((body) => body.nonce)).size).toBe(bodies.length);
    for (const body of bodies) {
      expect(body).toMatchObject({
        version: 1,
        chain: 'ETH',
        payloadHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
    }
    // and the chain's summary of that payload: recipient, amount and fee, in base units
    const ids = Object.keys(modes);
    for (const body of bodies) {
      expect(body.summary).toEqual({
        chain: 'ETH',
        kind: 'transfer',
        from: [],
        to: [TO.toLowerCase()],
        amounts: [{ asset: 'ETH', value: String(1000 + ids.indexOf(String(body.pendingId))), decimals: 18 }],
        fee: { asset: 'ETH', value: String(1_000_000_000n * 21_000n), decimals: 18 },
      });
    }

    // next cycle: the approval recorded for tx-replayed is played back; it was for another request
    modes['tx-replayed'] = 'replay';
    const second = await daemon();
    expect(second.stdout + second.stderr).toMatch(
      /Not signing ETH transaction tx-replayed: the signed answer is for another request \(nonce differs: replayed\?\)/,
    );
    expect(api.broadcasts.map((b) => b.signatureId)).toEqual(['tx-approved']);
  }, 240_000);

  it('refuses to start in signed mode without a shared secret of at least 32 bytes', async () => {
    const run = await runKmsInProcess(
      [
        'daemon',
        '--runOnce',
        '--path',
        path,
        '--apiKey',
        API_KEY,
        '--externalUrl',
        proxy.url,
        '--externalUrlMethod',
        'SIGNED',
      ],
      { env: { ...env(), TATUM_KMS_APPROVAL_SECRET: 'too-short' } },
    );
    expect(run.code).not.toBe(0);
    expect(JSON.parse(run.stderr.trim()).error).toMatch(
      /TATUM_KMS_APPROVAL_SECRET must be set, at least 32 bytes/,
    );
    expect(run.stderr).not.toContain('too-short');
  }, 90_000);

  it('the reference server refuses a request that is not signed with the secret', async () => {
    const body = Buffer.from(
      JSON.stringify({
        pendingId: 'x',
        payloadHash: '0'.repeat(64),
        nonce: 'n',
        requestedAt: new Date().toISOString(),
      }),
    );
    const answer = await forward(
      reference.url,
      '/x',
      { 'content-type': 'application/json', 'x-kms-signature': hmac(body, 'wrong secret') },
      body,
    );
    expect(answer.status).toBe(401);
  });
});

describe('daemon with Ed25519 signed approvals (KMS key in the store, server key configured)', () => {
  const { dir, cleanup } = tempDir();
  const path = join(dir, 'wallet.dat');
  let api: FakeTatumApi;
  let server: { url: string; child: ChildProcess };
  let impostor: { url: string; child: ChildProcess };
  let proxy: HostileProxy;
  let serverPublicKey: string;
  let kmsPublicKey: string;
  let signatureId: string;
  const modes: Record<string, Mode> = {
    'ed-approved': 'pass',
    'ed-rejected': 'pass',
    'ed-unsigned': 'strip',
    'ed-hmac-signed': 'forge',
  };
  const env = () => ({ TATUM_KMS_PASSWORD: PASSWORD, TATUM_API_URL: api.url, HOME: dir });
  const daemon = (externalUrl: string, extraEnv: Record<string, string> = {}, walletPath = path) =>
    runKmsInProcess(
      [
        'daemon',
        '--runOnce',
        '--chain',
        'ETH',
        '--path',
        walletPath,
        '--apiKey',
        API_KEY,
        '--externalUrl',
        externalUrl,
        '--externalUrlMethod',
        'SIGNED',
      ],
      { env: { ...env(), TATUM_KMS_APPROVAL_SERVER_KEY: serverPublicKey, ...extraEnv }, timeoutMs: 90_000 },
    );
  const keygen = async () => {
    const run = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, [REFERENCE_SERVER, 'keygen'], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let out = '';
      child.stdout!.on('data', (chunk) => (out += chunk));
      child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`keygen exited ${code}`))));
    });
    return JSON.parse(run) as { SERVER_PRIVATE_KEY: string; publicKey: string };
  };

  beforeAll(async () => {
    api = await FakeTatumApi.start({ apiKey: API_KEY });
    await writeTestWalletFile(path, PASSWORD);
    signatureId = json<{ signatureId: string }>(
      await runKmsInProcess(['storemanagedprivatekey', 'ETH', '--path', path], {
        env: env(),
        input: `${vectors.chains.ETH.mainnet.generatePrivateKeyFromMnemonic['0']}\n`,
      }),
    ).signatureId;
    const first = json<{ publicKey: string; created: boolean; publicKeyPem: string }>(
      await runKmsInProcess(['approvalkey', '--path', path], { env: env() }),
    );
    const again = json<{ publicKey: string; created: boolean }>(
      await runKmsInProcess(['approvalkey', '--path', path], { env: env() }),
    );
    expect(first.created).toBe(true);
    expect(again).toMatchObject({ publicKey: first.publicKey, created: false });
    expect(first.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    kmsPublicKey = first.publicKey;
    const serverKeys = await keygen();
    const impostorKeys = await keygen();
    serverPublicKey = serverKeys.publicKey;
    server = await startReferenceServer({
      KMS_PUBLIC_KEY: kmsPublicKey,
      SERVER_PRIVATE_KEY: serverKeys.SERVER_PRIVATE_KEY,
      REJECT_IDS: 'ed-rejected',
    });
    impostor = await startReferenceServer({
      KMS_PUBLIC_KEY: kmsPublicKey,
      SERVER_PRIVATE_KEY: impostorKeys.SERVER_PRIVATE_KEY,
    });
    proxy = await HostileProxy.start(server.url, (id) => modes[id] ?? 'pass');
  }, 90_000);
  afterAll(async () => {
    await proxy?.stop();
    server?.child.kill('SIGTERM');
    impostor?.child.kill('SIGTERM');
    await api?.stop();
    cleanup();
  });

  const pending = (ids: string[], firstNonce: number) =>
    ids.map((id, index) => ({
      id,
      chain: 'ETH',
      hashes: [signatureId],
      serializedTransaction: JSON.stringify({
        to: TO,
        value: String(5000 + index),
        nonce: firstNonce + index,
        gasPrice: '1000000000',
        gas: '21000',
      }),
    }));

  it('signs only what the approval server approved with its own key', async () => {
    api.addPending(pending(Object.keys(modes), 0));
    const run = await daemon(proxy.url);
    const log = run.stdout + run.stderr;
    expect(api.broadcasts.map((b) => b.signatureId)).toEqual(['ed-approved']);
    expect(log).toMatch(
      /Not signing ETH transaction ed-rejected: rejected: this transaction is on the reject list/,
    );
    expect(log).toMatch(
      /Not signing ETH transaction ed-unsigned: the answer is not signed with the approval server's key/,
    );
    expect(log).toMatch(
      /Not signing ETH transaction ed-hmac-signed: the answer is not signed with the approval server's key/,
    );
    // the requests the server accepted were signed by the KMS's key (it answers 401 otherwise)
    expect(proxy.requests.filter((request) => request.id === 'ed-approved')).toHaveLength(1);
  }, 180_000);

  it('an answer signed by another server key approves nothing', async () => {
    api.addPending(pending(['ed-impostor'], 10));
    const run = await daemon(impostor.url);
    expect(run.stdout + run.stderr).toMatch(
      /Not signing ETH transaction ed-impostor: the answer is not signed with the approval server's key/,
    );
    expect(api.broadcasts.map((b) => b.signatureId)).not.toContain('ed-impostor');
  }, 120_000);

  it('refuses to start without the KMS approval key in the store, or with a malformed server key', async () => {
    const bare = join(dir, 'no-approval-key.dat');
    await writeTestWalletFile(bare, PASSWORD);
    const missing = await daemon(server.url, {}, bare);
    expect(missing.code).not.toBe(0);
    expect(JSON.parse(missing.stderr.trim().split('\n').pop()!).error).toMatch(/run `tatum-kms approvalkey`/);
    const malformed = await daemon(server.url, { TATUM_KMS_APPROVAL_SERVER_KEY: 'not-a-key' });
    expect(malformed.code).not.toBe(0);
    expect(malformed.stderr).toMatch(/TATUM_KMS_APPROVAL_SERVER_KEY is not an Ed25519 public key/);
  }, 120_000);

  it('report names the approval key without a warning, and the reference server refuses unsigned requests', async () => {
    const report = json<{ wallets: Record<string, { chain: string; warnings?: string[] }> }>(
      await runKmsInProcess(['report', '--path', path], { env: env() }),
    );
    const entry = Object.values(report.wallets).find((wallet) => wallet.chain === 'KMS_APPROVAL');
    expect(entry?.warnings ?? []).toEqual([]);
    const body = Buffer.from(JSON.stringify({ pendingId: 'x', payloadHash: '0'.repeat(64), nonce: 'n' }));
    const answer = await forward(
      server.url,
      '/x',
      { 'content-type': 'application/json', 'x-kms-signature': hmac(body, SECRET) },
      body,
    );
    expect(answer.status).toBe(401);
  }, 60_000);
});
