/** The fields of one log line besides time, level and message (a transaction outcome's, for example). */
export type LogFields = Record<string, string | number | boolean | undefined>;

/**
 * A log message with structured fields: `logger.log(logEvent('Signed', { pendingId, chain, ... }))` gives
 * a JSON line `{time, level, msg: 'Signed', context, pendingId, chain, ...}` or a text line with the
 * fields as `key=value`.
 */
export interface LogEvent {
  readonly msg: string;
  readonly fields: LogFields;
}

export function logEvent(msg: string, fields: LogFields): LogEvent {
  return { msg, fields };
}

export function isLogEvent(value: unknown): value is LogEvent {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as LogEvent).msg === 'string' &&
    typeof (value as LogEvent).fields === 'object'
  );
}
