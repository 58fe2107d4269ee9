import { KmsError } from './kms-error';
import { printable } from './printable';
import { safeErrorMessage } from './safe-error-message';

describe('printable', () => {
  it('escapes what could end or disguise a log line, JSON-style', () => {
    expect(printable('a\r\nb\tc')).toBe('a\\r\\nb\\tc');
    expect(printable('x\u0000\u001b[31m\u007f\u0085')).toBe('x\\u0000\\u001b[31m\\u007f\\u0085');
    expect(printable('line\u2028sep\u2029para\u202eevil\u2066')).toBe(
      'line\\u2028sep\\u2029para\\u202eevil\\u2066',
    );
  });

  it('keeps ordinary text, quotes and non-Latin letters as they are', () => {
    expect(printable('6526e0c9-a0f1 "ü" 日本')).toBe('6526e0c9-a0f1 "ü" 日本');
  });

  it('cuts long text', () => {
    expect(printable('x'.repeat(300), 10)).toBe('xxxxxxxxxx...');
  });
});

describe('safeErrorMessage', () => {
  it('is always one line', () => {
    const message = safeErrorMessage(new KmsError('X', 'Pending transaction evil\n[Nest] forged'));
    expect(message).toBe('Pending transaction evil\\n[Nest] forged');
  });
});
