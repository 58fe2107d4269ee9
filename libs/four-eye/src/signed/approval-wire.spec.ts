import {
  readAnswer,
  signatureHeader,
  verifySignatureHeader,
  type ApprovalRequestBody,
} from './approval-wire';

const SECRET = 'x'.repeat(32);
const request: ApprovalRequestBody = {
  version: 1,
  pendingId: 'p-1',
  chain: 'ETH',
  payloadHash: 'a'.repeat(64),
  summary: null,
  requestedAt: '2026-12-04T20:00:00.000Z',
  nonce: 'n-1',
};

describe('signed approval wire format', () => {
  it('verifies a signature over the exact bytes only', () => {
    const body = Buffer.from('{"a":1}');
    const header = signatureHeader(body, SECRET);
    expect(verifySignatureHeader(body, header, SECRET)).toBe(true);
    expect(verifySignatureHeader(Buffer.from('{"a": 1}'), header, SECRET)).toBe(false);
    expect(verifySignatureHeader(body, header, 'y'.repeat(32))).toBe(false);
    expect(verifySignatureHeader(body, undefined, SECRET)).toBe(false);
    expect(verifySignatureHeader(body, 'hmac-sha256=zz', SECRET)).toBe(false);
  });

  it.each([
    [{ decision: 'APPROVE' }, { decision: 'APPROVE' }],
    [
      { decision: 'REJECT', reason: 'too much' },
      { decision: 'REJECT', reason: 'too much' },
    ],
    [{ decision: 'APPROVE', pendingId: 'p-2' }, { invalid: expect.stringMatching(/another pending id/) }],
    [
      { decision: 'APPROVE', payloadHash: 'b'.repeat(64) },
      { invalid: expect.stringMatching(/another payload/) },
    ],
    [{ decision: 'APPROVE', nonce: 'n-0' }, { invalid: expect.stringMatching(/replayed/) }],
    [{ decision: 'approve' }, { invalid: expect.stringMatching(/no decision/) }],
  ])('reads %j as %j', (fields, expected) => {
    const answer = { pendingId: 'p-1', payloadHash: 'a'.repeat(64), nonce: 'n-1', ...fields };
    expect(readAnswer(JSON.stringify(answer), request)).toEqual(expected);
  });

  it('refuses an answer that is not a JSON object', () => {
    expect(readAnswer('approved', request)).toEqual({ invalid: expect.any(String) });
    expect(readAnswer('null', request)).toEqual({ invalid: expect.any(String) });
  });
});
