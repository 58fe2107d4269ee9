/**
 * Characters that end a log line or rearrange what a terminal shows: C0 controls, DEL, C1 controls,
 * the Unicode line and paragraph separators, and the bidirectional overrides and isolates.
 */
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const SHORT_ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * `text` made safe to put inside one log line or error message: every character that could end the
 * line or disguise it is written as a JSON-style escape (`\n`, `\r`, `\t`, `\u2028`), and text longer
 * than `maxLength` is cut with `...`. For values that come from outside (pending ids, chains, node
 * messages).
 */
export function printable(text: string, maxLength = 200): string {
  const shown = text.length > maxLength ? `${text.slice(0, maxLength)}...` : text;
  return shown.replace(
    UNPRINTABLE,
    (char) => SHORT_ESCAPES[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
