// Reference approval server for the KMS's signed approvals (`--externalUrlMethod SIGNED`).
// It verifies each request (signature over the exact body, fresh requestedAt, nonce never seen),
// decides, and answers with a body signed the same way that repeats pendingId, payloadHash and nonce.
// Decision here: REJECT ids in REJECT_IDS and amounts above MAX_AMOUNT (base units), APPROVE the rest.
// Replace decide() with your own checks (who asked, what the summary says, your own records).
// Two ways to sign, as the KMS is configured:
// - HMAC: APPROVAL_SECRET (>= 32 bytes, the same as the KMS's TATUM_KMS_APPROVAL_SECRET);
// - Ed25519: KMS_PUBLIC_KEY (what `tatum-kms approvalkey` prints as publicKey) verifies requests,
//   SERVER_PRIVATE_KEY (PEM) signs answers; the KMS gets its public key as TATUM_KMS_APPROVAL_SERVER_KEY.
//   `node server.js keygen` prints a new SERVER_PRIVATE_KEY and its public key.
// Env also: PORT (0: any), HOST (default 127.0.0.1), REJECT_IDS (comma-separated), MAX_AMOUNT.
'use strict';
const crypto = require('node:crypto');
const { createServer } = require('node:http');

const SPKI_ED25519 = Buffer.from('302a300506032b6570032100', 'hex');
const rawPublicKey = (key) =>
  crypto
    .createPublicKey(key)
    .export({ format: 'der', type: 'spki' })
    .subarray(SPKI_ED25519.length)
    .toString('base64');

if (process.argv[2] === 'keygen') {
  const { privateKey } = crypto.generateKeyPairSync('ed25519');
  const privateKeyPem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  console.log(JSON.stringify({ SERVER_PRIVATE_KEY: privateKeyPem, publicKey: rawPublicKey(privateKey) }));
  process.exit(0);
}

function hmacScheme(secret) {
  if (Buffer.byteLength(secret) < 32) throw new Error('APPROVAL_SECRET must be at least 32 bytes');
  const sign = (bytes) => `hmac-sha256=${crypto.createHmac('sha256', secret).update(bytes).digest('hex')}`;
  const verify = (bytes, header) => {
    const expected = Buffer.from(sign(bytes));
    const given = Buffer.from(String(header ?? ''));
    return expected.length === given.length && crypto.timingSafeEqual(expected, given);
  };
  return { sign, verify };
}

function ed25519Scheme(kmsPublicKey, serverPrivateKeyPem) {
  const kmsKey = crypto.createPublicKey({
    key: Buffer.concat([SPKI_ED25519, Buffer.from(kmsPublicKey, 'base64')]),
    format: 'der',
    type: 'spki',
  });
  const serverKey = crypto.createPrivateKey(serverPrivateKeyPem);
  const sign = (bytes) => `ed25519=${crypto.sign(null, bytes, serverKey).toString('base64')}`;
  const verify = (bytes, header) => {
    const match = /^ed25519=([A-Za-z0-9+/]{86}==)$/.exec(String(header ?? ''));
    return match !== null && crypto.verify(null, bytes, kmsKey, Buffer.from(match[1], 'base64'));
  };
  return { sign, verify };
}

const { sign, verify: signedBy } = process.env.KMS_PUBLIC_KEY
  ? ed25519Scheme(process.env.KMS_PUBLIC_KEY, process.env.SERVER_PRIVATE_KEY ?? '')
  : hmacScheme(process.env.APPROVAL_SECRET ?? '');
const rejectIds = new Set((process.env.REJECT_IDS ?? '').split(',').filter(Boolean));
const maxAmount = process.env.MAX_AMOUNT ? BigInt(process.env.MAX_AMOUNT) : undefined;
const seenNonces = new Map(); // nonce -> time, kept 10 minutes

function decide(request) {
  if (rejectIds.has(request.pendingId))
    return { decision: 'REJECT', reason: 'this transaction is on the reject list' };
  const amounts = request.summary?.amounts ?? [];
  if (maxAmount !== undefined && amounts.some((amount) => BigInt(amount.value) > maxAmount))
    return { decision: 'REJECT', reason: `an amount is above ${maxAmount}` };
  return { decision: 'APPROVE' };
}

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    const refuse = (status, error) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ error }));
    if (req.method !== 'POST') return refuse(405, 'POST only');
    if (!signedBy(body, req.headers['x-kms-signature'])) return refuse(401, 'bad signature');
    let request;
    try {
      request = JSON.parse(body.toString('utf8'));
    } catch {
      return refuse(400, 'not JSON');
    }
    const age = Date.now() - Date.parse(request.requestedAt);
    if (!(Math.abs(age) < 60_000)) return refuse(400, 'requestedAt is not fresh');
    if (seenNonces.has(request.nonce)) return refuse(409, 'nonce already used');
    seenNonces.set(request.nonce, Date.now());
    for (const [nonce, at] of seenNonces) if (Date.now() - at > 600_000) seenNonces.delete(nonce);
    if (decodeURIComponent(req.url.split('/').pop()) !== request.pendingId)
      return refuse(400, 'path and pendingId differ');
    const { pendingId, payloadHash, nonce } = request;
    const answer = Buffer.from(JSON.stringify({ pendingId, payloadHash, nonce, ...decide(request) }));
    res.writeHead(200, { 'content-type': 'application/json', 'x-kms-signature': sign(answer) }).end(answer);
  });
});

server.listen(Number(process.env.PORT ?? 8080), process.env.HOST ?? '127.0.0.1', () => {
  const { address, port } = server.address();
  console.log(`approval server listening on http://${address}:${port}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
