/**
 * Shows that a secret is set without revealing anything of it, its length included: 'N/A' when unset,
 * else a fixed mask. (tatum-kms showed the first 6 characters; with API keys and short passwords that
 * reveals too much, and a length narrows a guess.)
 */
export function maskSecret(value: string | undefined): string {
  return value ? '******** (set)' : 'N/A';
}

const MASK = '***';

/**
 * A URL as it can be shown: credentials (`https://user:pass@host`) and every query value (`?apikey=`,
 * `?token=`...) replaced by `***`, the fragment dropped; host, port and path kept. 'N/A' when unset.
 * Text that is not a URL is masked the same way as far as it looks like one.
 */
export function maskUrl(value: string | undefined): string {
  if (!value) return 'N/A';
  const url = URL.canParse(value) ? new URL(value) : undefined;
  if (!url?.host) return maskUrlText(value);
  if (!url.username && !url.password && !url.search && !url.hash) return value;
  const user = url.username ? `${MASK}${url.password ? `:${MASK}` : ''}@` : '';
  const query = [...url.searchParams.keys()].map((key) => `${encodeURIComponent(key)}=${MASK}`).join('&');
  return `${url.protocol}//${user}${url.host}${url.pathname}${query ? `?${query}` : ''}`;
}

/** The same masking for text that does not parse as a URL (e.g. a host name with credentials). */
function maskUrlText(value: string): string {
  return value
    .replace(/#.*$/s, '')
    .replace(/^([^/?#]*\/\/)?[^/?#@]*@/, (_, scheme: string | undefined) => `${scheme ?? ''}${MASK}@`)
    .replace(/([?&][^=&#]*)=[^&#]*/g, `$1=${MASK}`);
}
