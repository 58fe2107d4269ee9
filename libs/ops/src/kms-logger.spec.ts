import { Logger } from '@nestjs/common';
import { KmsLogger } from './kms-logger';
import { logEvent } from '@kms/common';

const capture = () => {
  const lines: string[] = [];
  return { lines, sink: { write: (line: string) => lines.push(line) } };
};

describe('KmsLogger', () => {
  it('json: one object per line with an ISO-8601 UTC time, level, msg, context and the event fields', () => {
    const { lines, sink } = capture();
    const logger = new KmsLogger({ format: 'json', level: 'info', sink });
    logger.log(
      logEvent('Signed', { pendingId: 'p-1', chain: 'ETH', outcome: 'signed', txId: '0xabc' }),
      'Pipeline',
    );
    logger.warn('careful', 'Daemon');
    const [first, second] = lines.map((line) => JSON.parse(line));
    expect(first).toEqual({
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      level: 'info',
      context: 'Pipeline',
      msg: 'Signed',
      pendingId: 'p-1',
      chain: 'ETH',
      outcome: 'signed',
      txId: '0xabc',
    });
    expect(second).toMatchObject({ level: 'warn', msg: 'careful', context: 'Daemon' });
  });

  it('text: time LEVEL [context] message key=value, one line even when the message holds CR/LF', () => {
    const { lines, sink } = capture();
    const logger = new KmsLogger({ format: 'text', level: 'info', sink });
    logger.log(logEvent('Denied', { pendingId: 'a b', reason: 'HTTP 403' }), 'Pipeline');
    logger.error('bad\nforged line', 'Daemon');
    expect(lines[0]).toMatch(/^\S+Z INFO  \[Pipeline\] Denied pendingId="a b" reason="HTTP 403"\n$/);
    expect(lines[1]).toMatch(/^\S+Z ERROR \[Daemon\] bad\\nforged line\n$/);
  });

  it('honours the level: debug lines only at debug; Nest verbose is debug, fatal is error', () => {
    const { lines, sink } = capture();
    const logger = new KmsLogger({ format: 'json', level: 'warn', sink });
    logger.log('info line');
    logger.debug('debug line');
    logger.verbose('verbose line');
    logger.fatal('fatal line');
    expect(lines.map((line) => JSON.parse(line).msg)).toEqual(['fatal line']);
    expect(logger.enabled('debug')).toBe(false);
  });

  it('never writes the stack Nest hands to error()', () => {
    const { lines, sink } = capture();
    const logger = new KmsLogger({ format: 'json', level: 'info', sink });
    logger.error('failed', 'Error: x\n    at secretSource (/keys.ts:1:1)', 'Context');
    expect(lines.join('')).not.toMatch(/secretSource/);
    expect(JSON.parse(lines[0])).toMatchObject({ msg: 'failed', context: 'Context' });
  });

  it('serves as Nest’s logger: new Logger(context) writes through it', () => {
    const { lines, sink } = capture();
    Logger.overrideLogger(new KmsLogger({ format: 'json', level: 'info', sink }));
    try {
      new Logger('SomeService').log('hello');
    } finally {
      Logger.overrideLogger(false);
    }
    expect(JSON.parse(lines[0])).toMatchObject({ msg: 'hello', context: 'SomeService', level: 'info' });
  });
});
