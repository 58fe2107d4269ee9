// Reference approval server for the KMS's signed approvals (`--externalUrlMethod SIGNED`).
// It verifies each request (HMAC-SHA256 over the exact body, fresh requestedAt, nonce never seen),
// decides, and answers with a body signed the same way that repeats pendingId, payloadHash and nonce.
// Decision here: REJECT ids in REJECT_IDS and amounts above MAX_AMOUNT (base units), APPROVE the rest.
// Replace decide() with your own checks (who asked, what the summary says, your own records).
// Env: APPROVAL_SECRET (>= 32 bytes, the same as the KMS's TATUM_KMS_APPROVAL_SECRET), PORT (0: any),
// HOST (default 127.0.0.1), REJECT_IDS (comma-separated), MAX_AMOUNT.
'use strict';
const { createHmac, timingSafeEqual } = require('node:crypto');
const { createServer } = require('node:http');

const secret = process.env.APPROVAL_SECRET ?? '';
if (Buffer.byteLength(secret) < 32) throw new Error('APPROVAL_SECRET must be at least 32 bytes');
const rejectIds = new Set((process.env.REJECT_IDS ?? '').split(',').filter(Boolean));
const maxAmount = process.env.MAX_AMOUNT ? BigInt(process.env.MAX_AMOUNT) : undefined;
const seenNonces = new Map(); // nonce -> time, kept 10 minutes

const sign = (bytes) => `hmac-sha256=${createHmac('sha256', secret).update(bytes).digest('hex')}`;
const signedBy = (bytes, header) => {
  const expected = Buffer.from(sign(bytes));
  const given = Buffer.from(String(header ?? ''));
  return expected.length === given.length && timingSafeEqual(expected, given);
};

function decide(request) {
  if (rejectIds.has(request.pendingId)) return { decision: 'REJECT', reason: 'this transaction is on the reject list' };
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
    const refuse = (status, error) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ error }));
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
    if (decodeURIComponent(req.url.split('/').pop()) !== request.pendingId) return refuse(400, 'path and pendingId differ');
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
