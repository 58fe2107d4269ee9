/**
 * A PostgreSQL connection string as it may be shown: the password (and any `password=` query
 * parameter) replaced by `***`. Never throws: anything but a postgres:// URL is shown as `postgres://***`.
 */
export function redactPostgresUrl(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') return 'postgres://***';
    if (url.password) url.password = '***';
    for (const key of [...url.searchParams.keys()]) {
      if (/pass|secret|key/i.test(key)) url.searchParams.set(key, '***');
    }
    return url.toString();
  } catch {
    return 'postgres://***';
  }
}

/**
 * `message` with every trace of the connection string's secrets removed: the whole string, its
 * password (raw and percent-decoded) and any `password=` parameter value. For errors from `pg`, which
 * may echo what it was given.
 */
export function scrubPostgresSecrets(message: string, connectionString: string): string {
  let out = message.split(connectionString).join(redactPostgresUrl(connectionString));
  for (const secret of secretsOf(connectionString)) {
    if (secret.length >= 3) out = out.split(secret).join('***');
  }
  return out;
}

function secretsOf(connectionString: string): string[] {
  try {
    const url = new URL(connectionString);
    const secrets = [url.password, safeDecode(url.password)];
    for (const [key, value] of url.searchParams) if (/pass|secret|key/i.test(key)) secrets.push(value);
    return secrets.filter(Boolean);
  } catch {
    return [];
  }
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
