/**
 * A path segment or query value is taken for a credential when it is this long, or shorter (but at
 * least 4 characters) with a digit in it: tokens are; words such as `v1`, `rpc`, `eth` or `thor` are
 * not, and redacting them would only garble messages.
 */
const TOKEN_LENGTH = 8;
/** User names and passwords are credentials whatever they look like, from this length on. */
const MIN_CREDENTIAL_LENGTH = 3;

/**
 * The parts of a node URL (TATUM_KMS_NODE_URL_<CHAIN>) that may be credentials: user and password
 * (and their Basic authorization form), the path with the query, and each path segment and query
 * value that looks like a token, each as written and decoded. Longest first, so that redacting
 * replaces a whole before its parts.
 */
export function nodeUrlSecrets(text: string): string[] {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return [];
  }
  const found = new Set<string>();
  const add = (value: string, isSecret: (form: string) => boolean) => {
    for (const form of [value, safeDecode(value)]) if (isSecret(form)) found.add(form);
  };
  const credential = (form: string) => form.length >= MIN_CREDENTIAL_LENGTH;
  const token = (form: string) => form.length >= TOKEN_LENGTH || (form.length >= 4 && /\d/.test(form));
  add(url.username, credential);
  add(url.password, credential);
  if (url.username || url.password) {
    const pair = `${safeDecode(url.username)}:${safeDecode(url.password)}`;
    add(pair, credential);
    add(Buffer.from(pair).toString('base64'), credential);
  }
  const pathAndQuery = `${url.pathname}${url.search}`;
  add(pathAndQuery, token);
  for (const segment of url.pathname.split('/')) add(segment, token);
  // As written (add() adds the decoded form): searchParams would only give the decoded one.
  for (const pair of url.search.slice(1).split('&')) add(pair.slice(pair.indexOf('=') + 1), token);
  return [...found].sort((a, b) => b.length - a.length);
}

/** `text` with every occurrence of each secret replaced by `***`. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let redacted = text;
  for (const secret of secrets) redacted = redacted.split(secret).join('***');
  return redacted;
}

/** The percent-decoded text, or the text as it is when it is not valid percent-encoding. */
export function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
