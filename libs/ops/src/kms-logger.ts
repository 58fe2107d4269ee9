import type { LoggerService } from '@nestjs/common';
import pino, { type Logger as PinoLogger } from 'pino';
import type { LogFormat, LogLevel } from '@kms/config';
import { isLogEvent } from '@kms/common';
import { textLine } from './text-line';

/** Where log lines go: a stream of the process (stdout) or of a test. */
export interface LogSink {
  write(line: string): unknown;
}

export interface KmsLoggerOptions {
  format: LogFormat;
  level: LogLevel;
  sink: LogSink;
}

/**
 * The daemon's logger, behind Nest's LoggerService (so `new Logger('Context')` in every lib writes
 * through it). Built on pino: each line is one JSON object `{time (ISO-8601 UTC), level, msg, context,
 * ...fields}`; the text format prints the same record as `time LEVEL [context] msg key=value ...`.
 * Nest's `log` is info, `verbose` is debug, `fatal` is error. Every line goes to one stream (stdout),
 * written synchronously, so nothing is lost when the process exits.
 */
export class KmsLogger implements LoggerService {
  private readonly pino: PinoLogger;

  /** Text lines are written here directly (no JSON round trip); JSON lines by pino. */
  private readonly textSink?: LogSink;

  constructor(options: KmsLoggerOptions) {
    if (options.format === 'text') this.textSink = options.sink;
    this.pino = pino(
      {
        level: options.level,
        base: undefined,
        messageKey: 'msg',
        timestamp: pino.stdTimeFunctions.isoTime,
        formatters: { level: (label) => ({ level: label }) },
      },
      options.sink,
    );
  }

  log(message: unknown, ...rest: unknown[]): void {
    this.write('info', message, rest);
  }

  error(message: unknown, ...rest: unknown[]): void {
    // Nest passes (message, stack?, context?): a stack is never logged (it may quote a secret's source)
    this.write('error', message, rest.length > 1 ? rest.slice(-1) : rest);
  }

  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }

  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }

  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }

  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }

  /** True when lines of `level` are written (callers skip building costly messages otherwise). */
  enabled(level: LogLevel): boolean {
    return this.pino.isLevelEnabled(level);
  }

  private write(level: LogLevel, message: unknown, rest: unknown[]): void {
    if (!this.pino.isLevelEnabled(level)) return;
    const context = typeof rest.at(-1) === 'string' ? (rest.at(-1) as string) : undefined;
    if (this.textSink) {
      const [msg, fields] = isLogEvent(message)
        ? [message.msg, message.fields]
        : [typeof message === 'string' ? message : String(message), {}];
      this.textSink.write(textLine({ time: new Date().toISOString(), level, msg, context, ...fields }));
      return;
    }
    if (isLogEvent(message)) this.pino[level]({ context, ...message.fields }, message.msg);
    else this.pino[level]({ context }, typeof message === 'string' ? message : String(message));
  }
}
