/**
 * One pino record as a text line for people: `2026-12-04T17:00:00.000Z INFO  [Daemon] message key=value`.
 * Values with spaces or quotes are JSON-quoted, so a line stays one line and parses back.
 */
export function textLine(record: Record<string, unknown>): string {
  const { time, level, msg, context, ...fields } = record;
  const extra = Object.entries(fields)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}=${quoted(value)}`)
    .join(' ');
  const where = context ? ` [${context}]` : '';
  return `${time} ${String(level).toUpperCase().padEnd(5)}${where} ${oneLine(String(msg))}${extra ? ` ${extra}` : ''}\n`;
}

/** Control characters (CR, LF, ...) written as escapes, so no message can start a forged line. */
function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, (c) => JSON.stringify(c).slice(1, -1));
}

function quoted(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return /^[^\s"=]+$/.test(text) ? text : JSON.stringify(text);
}
